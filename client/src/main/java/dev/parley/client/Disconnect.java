package dev.parley.client;

/**
 * How a {@link ParleyConnection} ended.
 *
 * @param byeReason the {@code reason} of the server's {@code bye} frame (see {@link
 *     dev.parley.protocol.ByeReason}), or null when the server said no bye: the client closed, or
 *     the network failed
 * @param closeCode the WebSocket close code; {@link #ABNORMAL_CLOSURE} when no close frame came
 * @param error what broke the connection, or null for an orderly close
 */
public record Disconnect(String byeReason, int closeCode, Throwable error) {
  /** RFC 6455's code for a connection that ended without a close frame. */
  public static final int ABNORMAL_CLOSURE = 1006;
}
