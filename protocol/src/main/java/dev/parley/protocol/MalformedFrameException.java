package dev.parley.protocol;

/** A frame that could not be decoded; the message is worded for the peer. */
public final class MalformedFrameException extends Exception {
  private final String requestId;

  MalformedFrameException(String message, String requestId) {
    super(message, null, false, false);
    this.requestId = requestId;
  }

  /** The frame's {@code id} when one could still be read, so the error can echo it; else null. */
  public String requestId() {
    return requestId;
  }

  public ParleyException toParleyException() {
    return new ParleyException(ErrorCode.BAD_REQUEST, getMessage());
  }
}
