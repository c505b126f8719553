package dev.parley.server.store;

import java.util.List;
import java.util.Optional;

/**
 * Registered users. A deleted user keeps their row (their messages keep their sender, their name
 * stays taken) but is found by none of the look-ups by name or listings. Implementations are
 * thread-safe.
 */
public interface UserStore {
  /**
   * @param usernameKey the case-folded form that makes usernames unique ignoring case; the
   *     store also keeps the name's skeleton, unique too, so that look-alikes are taken
   * @throws UsernameTakenException when the key is taken
   */
  User create(String username, String usernameKey, String passwordHash, long createdAtMillis)
      throws UsernameTakenException;

  /**
   * As {@link #create(String, String, String, long)}, using one use of the invite whose code has
   * this hash in the same transaction: of two registrations racing for its last use, one wins,
   * and a registration that fails (a taken name) uses nothing.
   */
  User create(String username, String usernameKey, String passwordHash, long createdAtMillis, String inviteCodeHash)
      throws UsernameTakenException, InviteRefusedException;

  Optional<Credentials> findCredentials(String usernameKey);

  Optional<User> findByKey(String usernameKey);

  /** As {@link #findByKey}, a deleted user included: whose conversations stay readable. */
  Optional<User> findByKeyIncludingDeleted(String usernameKey);

  /** The user whose name looks like one with this skeleton ({@code Usernames.skeleton}), if any. */
  Optional<User> findBySkeleton(String skeleton);

  Optional<User> findById(long id);

  /** Users whose key starts with {@code keyPrefix}, sorted by key, at most {@code limit}. */
  List<User> list(String keyPrefix, int limit);

  /** As {@link #list}, with what an admin sees of each account. */
  List<UserAccount> accounts(String keyPrefix, int limit);

  boolean isAdmin(long userId);

  void setAdmin(long userId, boolean admin);

  void setDisabled(long userId, boolean disabled, long nowMillis);

  /** The account is gone for good: no password, no role; the row stays for its messages. */
  void markDeleted(long userId, long nowMillis);

  /** @param changeRequired the user must choose another password at their next login */
  void setPassword(long userId, String passwordHash, boolean changeRequired);
}
