package dev.parley.server.store;

/**
 * Who writes to an upload: one request at a time, whichever node it arrives on. On SQLite (one
 * node) a set in memory; on PostgreSQL an advisory lock per upload, which the database drops by
 * itself when the node holding it dies. {@link StoreProvider} picks one with the database.
 * Thread-safe.
 */
public interface UploadLocks {
  /** Takes the upload's lock if no request holds it; false when one does (here or on another node). */
  boolean tryLock(String uploadId);

  /** Gives back a lock {@link #tryLock} returned true for; never throws. */
  void unlock(String uploadId);
}
