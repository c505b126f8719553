package dev.parley.client;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where {@link ParleyClient#upload} remembers the upload URL of each file it has started, so that
 * an upload interrupted in one run (or one process) resumes in the next instead of starting over.
 * Keys are {@link FileFingerprint#key()}s. Implementations must be thread-safe.
 */
public interface UploadUrlStore {
  /**
   * An upload in progress.
   *
   * @param url the upload's tus URL
   * @param sha256 the whole file's SHA-256 (lower-case hex), as declared when the upload was
   *     created; kept so that a resume need not read the whole file again
   * @param savedAtMillis when it was remembered, epoch milliseconds; stores may drop old entries
   */
  record Entry(URI url, String sha256, long savedAtMillis) {}

  Optional<Entry> find(String key);

  void remember(String key, Entry entry);

  void forget(String key);

  /** A store that lives as long as the object: resumes within one process only. */
  static UploadUrlStore inMemory() {
    Map<String, Entry> entries = new ConcurrentHashMap<>();
    return new UploadUrlStore() {
      @Override
      public Optional<Entry> find(String key) {
        return Optional.ofNullable(entries.get(key));
      }

      @Override
      public void remember(String key, Entry entry) {
        entries.put(key, entry);
      }

      @Override
      public void forget(String key) {
        entries.remove(key);
      }
    };
  }
}
