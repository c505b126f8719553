package dev.parley.server.store;

import java.util.List;
import java.util.Optional;

/**
 * Uploads in progress and finished files. Finishing an upload is not here: the file row, its
 * message and the removal of the upload are one transaction of the {@link MessageStore}.
 * Implementations are thread-safe; every write is durable when it returns.
 */
public interface FileStore {
  void createUpload(UploadRecord upload);

  /**
   * Creates the upload only if its owner, with it, has at most {@code maxUploads} uploads and
   * {@code maxBytes} stored (its length counting from now, 0 while deferred), checked and written
   * in one transaction that no other of the owner's, on any node, overlaps.
   */
  Admission createUploadWithin(UploadRecord upload, int maxUploads, long maxBytes, long nowMillis);

  /**
   * What {@link #createUploadWithin} found before the upload.
   *
   * @param created whether it was created
   * @param uploads the owner's uploads before it
   * @param usedBytes what the owner stored before it ({@link #storageUsed})
   */
  record Admission(boolean created, int uploads, long usedBytes) {}

  Optional<UploadRecord> findUpload(String id);

  /** Records how far the upload durably is, and pushes its expiry out (it is in use). */
  void saveProgress(String id, long offset, long expiresAtMillis);

  void saveLength(String id, long length);

  void deleteUpload(String id);

  int countUploads(long ownerId);

  List<UploadRecord> uploadsExpiredBy(long nowMillis);

  List<UploadRecord> allUploads();

  Optional<FileRecord> findFile(String id);

  /**
   * Bytes the user holds at {@code nowMillis}: the sizes of the files they sent and did not
   * delete, plus their unexpired uploads (the declared length, or the offset while it is deferred).
   */
  long storageUsed(long ownerId, long nowMillis);

  /** Marks a file deleted; false if it already was (or does not exist). */
  boolean markFileDeleted(String id, long nowMillis);
}
