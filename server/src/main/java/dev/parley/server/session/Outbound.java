package dev.parley.server.session;

import dev.parley.protocol.ServerFrame;

/**
 * The transport's side of a connection: an ordered, bounded queue of frames to write. Implemented
 * by each transport (TCP lines, WebSocket); thread-safe, never blocks.
 */
public interface Outbound {
  /**
   * Queues a frame. {@code onWritten}, if not null, runs once the frame's bytes were handed to the
   * socket. A connection whose queue is full is closed as a slow consumer.
   */
  void send(ServerFrame frame, Runnable onWritten);

  /** Queues a frame that other connections are sent too, as the bytes they share; otherwise as {@link #send}. */
  void send(SharedFrame<?> frame, Runnable onWritten);

  /** Writes {@code last} after everything queued, then closes. Later sends are dropped. */
  void close(ServerFrame last);

  String remoteAddress();

  /** "tcp" or "websocket", for logs and metrics. */
  String transport();
}
