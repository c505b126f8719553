package dev.parley.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;

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
   * whose own message is null. A certificate no authority vouches for is said in words, with
   * what to do about it, rather than as the JDK's "PKIX path building failed".
   */
  private static String describe(Throwable failure) {
    if (failure instanceof HttpTimeoutException) {
      return "timed out";
    }
    String message = null;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
        return "the server's certificate is not from a trusted certificate authority (a self-signed one?);"
            + " pin it with the SHA-256 fingerprint the server printed at start (--fingerprint SHA256:...)";
      }
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    return message != null ? message : failure.getClass().getSimpleName();
  }
}
