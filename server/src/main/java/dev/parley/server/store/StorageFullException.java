package dev.parley.server.store;

/**
 * The disk under the store is full: nothing of the failed write was kept, and writes succeed
 * again once space is freed. Clients are told {@code storage_full}.
 */
public final class StorageFullException extends StoreException {
  public StorageFullException(Throwable cause) {
    super("storage full", cause);
  }
}
