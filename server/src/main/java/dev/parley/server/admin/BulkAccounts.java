package dev.parley.server.admin;

import java.util.List;

/**
 * Bulk writes of users and tokens for {@link OperatorAccounts}, kept off the stores a server runs
 * on: registration and login never write in bulk. Implementations may commit in several
 * transactions, so a failure can leave earlier rows written.
 */
public interface BulkAccounts {
  /**
   * Creates the users, skipping any whose key is taken.
   *
   * @return how many users were created
   */
  int createUsers(List<NewUser> users, long createdAtMillis);

  void insertTokens(List<NewToken> tokens, long nowMillis);
}
