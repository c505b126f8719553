package dev.parley.protocol;

/**
 * A failure the peer must be told about, with its stable code. Services throw it; the transport
 * edge turns it into an {@code error} frame or an HTTP error body.
 */
public final class ParleyException extends RuntimeException {
  private final ErrorCode code;
  private final Long retryAfterSeconds;

  public ParleyException(ErrorCode code, String message) {
    this(code, message, null);
  }

  private ParleyException(ErrorCode code, String message, Long retryAfterSeconds) {
    super(message, null, false, false);
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static ParleyException rateLimited(String message, long retryAfterSeconds) {
    return new ParleyException(ErrorCode.RATE_LIMITED, message, Math.max(1, retryAfterSeconds));
  }

  public ErrorCode code() {
    return code;
  }

  /** For {@link ErrorCode#RATE_LIMITED}: whole seconds until a retry can succeed; else null. */
  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
