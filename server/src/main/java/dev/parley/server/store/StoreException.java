package dev.parley.server.store;

/** The store failed (I/O, corruption, a bug in SQL); the request cannot be served. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
