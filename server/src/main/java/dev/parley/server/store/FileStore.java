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
