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

  Optional<Credentials> findCredentials(String usernameKey);

  Optional<User> findByKey(String usernameKey);

  /** The user whose name looks like one with this skeleton ({@code Usernames.skeleton}), if any. */
  Optional<User> findBySkeleton(String skeleton);

  Optional<User> findById(long id);

  /** Users whose key starts with {@code keyPrefix}, sorted by key, at most {@code limit}. */
  List<User> list(String keyPrefix, int limit);
}
