package dev.parley.server.store;

import java.util.List;
import java.util.Optional;

/**
 * Login tokens, known only by their SHA-256 hash (hex); each is one of its user's sessions.
 * Implementations are thread-safe.
 */
public interface TokenStore {
  /** @param clientAddress and {@code clientAgent}: what is known of the client, or null */
  void insert(String tokenHash, long userId, long nowMillis, String clientAddress, String clientAgent);

  Optional<TokenRecord> find(String tokenHash);

  /** Records a use of the token, and that its user was seen. */
  void touch(String tokenHash, long nowMillis);

  /** @return whether a token was deleted */
  boolean delete(String tokenHash);

  /** Deletes tokens not used since {@code cutoffMillis}; returns how many. */
  int deleteUnusedSince(long cutoffMillis);

  /** The user's tokens, most recently used first. */
  List<LoginSession> ofUser(long userId);

  /**
   * Deletes every token of the user but {@code keptTokenHash} (null keeps none).
   *
   * @return the hashes deleted
   */
  List<String> deleteAllOf(long userId, String keptTokenHash);

  /**
   * Deletes the user's token whose hash starts with {@code hashPrefix} (a session id).
   *
   * @return the hash deleted, if the user had such a token
   */
  Optional<String> deleteByPrefix(long userId, String hashPrefix);
}
