package dev.parley.server.store;

/**
 * Where an appended message landed; {@code duplicate} when the client id had been used before.
 * {@code freedFileId}: a delete entry that removed the last message referring to a file marked
 * that file deleted, and its bytes may go; null otherwise.
 */
public record AppendResult(long seq, long createdAtMillis, boolean duplicate, String freedFileId) {
  public AppendResult(long seq, long createdAtMillis, boolean duplicate) {
    this(seq, createdAtMillis, duplicate, null);
  }
}
