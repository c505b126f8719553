package dev.parley.server.session;

import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;

/**
 * A frame that goes out to many connections as the same bytes. A message to a room of a hundred
 * reaches a hundred connections: encoding it once and handing each connection the same bytes,
 * instead of one JSON encoding per recipient, is what keeps fan-out cheap on the single writer
 * thread that publishes it. Encoded on first use, by whichever transport needs it first;
 * thread-safe (two threads racing to encode it produce equal bytes, and either result is kept).
 */
public final class SharedFrame<F extends ServerFrame> {
  private final F frame;
  private volatile byte[] line;

  public SharedFrame(F frame) {
    this.frame = frame;
  }

  public F frame() {
    return frame;
  }

  /**
   * The frame's JSON followed by a line feed: a TCP line as it is, a WebSocket text message without
   * its last byte. Callers must not modify the array.
   */
  public byte[] line(FrameCodec codec) {
    byte[] encoded = line;
    if (encoded == null) {
      encoded = codec.encodeLine(frame);
      line = encoded;
    }
    return encoded;
  }
}
