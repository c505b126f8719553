package dev.parley.client;

import dev.parley.protocol.ErrorCode;

/**
 * The server refused a request: an HTTP error body or an {@code error} frame. Failures to reach
 * the server at all are {@link java.io.UncheckedIOException}s instead, so callers can tell "the
 * server said no" from "there was no answer".
 */
public final class ParleyClientException extends RuntimeException {
  private final ErrorCode code;
  private final int httpStatus;
  private final Long retryAfterSeconds;

  public ParleyClientException(ErrorCode code, String message, int httpStatus, Long retryAfterSeconds) {
    super(message);
    this.code = code;
    this.httpStatus = httpStatus;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public ErrorCode code() {
    return code;
  }

  /** The HTTP status of the response, or 0 when the error arrived as a frame. */
  public int httpStatus() {
    return httpStatus;
  }

  /** With {@link ErrorCode#RATE_LIMITED}: whole seconds to wait before retrying; otherwise null. */
  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
