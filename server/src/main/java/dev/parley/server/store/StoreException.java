package dev.parley.server.store;

/** The store failed (I/O, corruption, a bug in SQL); the request cannot be served. */
public sealed class StoreException extends RuntimeException permits StorageFullException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
