package dev.parley.client;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How {@link ParleyClient#upload} sends a file. Start from {@link #defaults()} and change what
 * you need with the {@code with...} methods.
 *
 * @param chunkSize bytes per PATCH request, each verified by the server on its own
 *     ({@code Upload-Checksum}); an interruption costs at most this much. Default {@value
 *     #DEFAULT_CHUNK_SIZE}.
 * @param filename the name the recipient sees; null for the file's own name
 * @param type the media type to declare; null to guess it from the file name (or declare none)
 * @param urlStore where to remember the upload for a later resume; null for the client's own
 *     in-memory store, which resumes only within the life of that {@link ParleyClient}
 * @param progress told about the bytes sent
 * @param retryDelays how long to wait before each retry after a failure that a retry can fix (the
 *     connection dropped, the server is busy with the previous attempt, a chunk arrived damaged);
 *     their number is the number of retries. Each retry resumes from the server's offset.
 */
public record UploadOptions(
    long chunkSize, String filename, String type, UploadUrlStore urlStore, ProgressListener progress,
    List<Duration> retryDelays) {
  public static final long DEFAULT_CHUNK_SIZE = 32L << 20;
  /** Short first: the usual case is the server still releasing the upload a dropped request held. */
  public static final List<Duration> DEFAULT_RETRY_DELAYS =
      List.of(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(3),
          Duration.ofSeconds(10));

  public UploadOptions {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize must be positive, got " + chunkSize);
    }
    Objects.requireNonNull(progress, "progress; use ProgressListener.NONE");
    retryDelays = List.copyOf(retryDelays);
  }

  public static UploadOptions defaults() {
    return new UploadOptions(DEFAULT_CHUNK_SIZE, null, null, null, ProgressListener.NONE, DEFAULT_RETRY_DELAYS);
  }

  public UploadOptions withChunkSize(long bytes) {
    return new UploadOptions(bytes, filename, type, urlStore, progress, retryDelays);
  }

  public UploadOptions withFilename(String name) {
    return new UploadOptions(chunkSize, name, type, urlStore, progress, retryDelays);
  }

  public UploadOptions withType(String mediaType) {
    return new UploadOptions(chunkSize, filename, mediaType, urlStore, progress, retryDelays);
  }

  public UploadOptions withUrlStore(UploadUrlStore store) {
    return new UploadOptions(chunkSize, filename, type, store, progress, retryDelays);
  }

  public UploadOptions withProgress(ProgressListener listener) {
    return new UploadOptions(chunkSize, filename, type, urlStore, listener, retryDelays);
  }

  public UploadOptions withRetryDelays(List<Duration> delays) {
    return new UploadOptions(chunkSize, filename, type, urlStore, progress, delays);
  }
}
