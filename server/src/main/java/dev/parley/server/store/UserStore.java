package dev.parley.server.store;

import java.util.List;
import java.util.Optional;

/** Registered users. Implementations are thread-safe. */
public interface UserStore {
  /**
   * @param usernameKey the case-folded form that makes usernames unique ignoring case; the
   *     store also keeps the name's skeleton, unique too, so that look-alikes are taken
   * @throws UsernameTakenException when the key is taken
   */
  User create(String username, String usernameKey, String passwordHash, long createdAtMillis)
      throws UsernameTakenException;

  /**
   * Creates many users at once, skipping any whose key is taken; for the operator's bench setup,
   * not for registration (which checks names and password policy first). Implementations may
   * commit in several transactions, so a failure can leave earlier users created.
   *
   * @return how many users were created
   */
  int createAll(List<NewUser> users, long createdAtMillis);

  Optional<Credentials> findCredentials(String usernameKey);

  Optional<User> findByKey(String usernameKey);

  /** The user whose name looks like one with this skeleton ({@code Usernames.skeleton}), if any. */
  Optional<User> findBySkeleton(String skeleton);

  Optional<User> findById(long id);

  /** Users whose key starts with {@code keyPrefix}, sorted by key, at most {@code limit}. */
  List<User> list(String keyPrefix, int limit);
}
