package dev.parley.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;

/** Turns "no answer" failures into one readable {@link UncheckedIOException}. */
final class TransportFailures {
  private TransportFailures() {}

  static UncheckedIOException unreachable(URI target, Throwable failure) {
    IOException cause = failure instanceof IOException io ? io : new IOException(failure);
    return new UncheckedIOException("cannot reach " + target + ": " + describe(failure), cause);
  }

  /** Restores the interrupt flag; the caller's thread was asked to stop waiting. */
  static UncheckedIOException interrupted(URI target) {
    Thread.currentThread().interrupt();
    return new UncheckedIOException(new InterruptedIOException("interrupted while talking to " + target));
  }

  /**
   * The innermost message: the JDK's HTTP client often wraps "Connection refused" in exceptions
   * whose own message is null.
   */
  private static String describe(Throwable failure) {
    if (failure instanceof HttpTimeoutException) {
      return "timed out";
    }
    String message = null;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    return message != null ? message : failure.getClass().getSimpleName();
  }
}
