package dev.parley.server.store;

import java.util.Optional;

/** Login tokens, known only by their SHA-256 hash (hex). Implementations are thread-safe. */
public interface TokenStore {
  void insert(String tokenHash, long userId, long nowMillis);

  Optional<TokenRecord> find(String tokenHash);

  void touch(String tokenHash, long nowMillis);

  /** @return whether a token was deleted */
  boolean delete(String tokenHash);

  /** Deletes tokens not used since {@code cutoffMillis}; returns how many. */
  int deleteUnusedSince(long cutoffMillis);
}
