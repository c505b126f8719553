package dev.parley.client;

/**
 * Hears how a file transfer is going. Called on whichever thread moves the bytes (for uploads, a
 * thread of the HTTP client), one call at a time, so it must be quick; a listener that throws
 * stops the transfer at once, as a dropped connection would, and the exception reaches the caller
 * of the transfer unchanged. Rates and ETAs are the listener's business: it is told bytes only.
 */
@FunctionalInterface
public interface ProgressListener {
  /** Hears nothing. */
  ProgressListener NONE = (bytesDone, totalBytes) -> {};

  /**
   * Before any byte moves. {@code resumedFrom} bytes were already transferred by an earlier,
   * interrupted attempt and will not be sent again; 0 for a fresh start. May be called again when
   * an upload is retried after a failure, with the offset it retries from.
   */
  default void onStart(long resumedFrom, long totalBytes) {}

  /** {@code bytesDone} counts from the start of the file, resumed bytes included. */
  void onProgress(long bytesDone, long totalBytes);
}
