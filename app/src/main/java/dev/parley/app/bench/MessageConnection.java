package dev.parley.app.bench;

import java.io.IOException;

/**
 * One connection of the load generator to a {@link MessageTarget}. One thread writes ({@link
 * #write}, {@link #flush}), another reads ({@link #read}); {@link #close} may come from any.
 */
interface MessageConnection extends AutoCloseable {
  /** What other connections name as the recipient to reach this one: a username or a nick. */
  String address();

  /**
   * Buffers one message; it leaves at the next {@link #flush}. {@code seq} numbers this
   * connection's messages in the run, from 0.
   */
  void write(String to, long seq, String text) throws IOException;

  void flush() throws IOException;

  /** Reads until the connection ends, telling {@code listener} what arrives; blocks till then. */
  void read(Listener listener);

  @Override
  void close();

  /** What a reading thread finds on the connection. */
  interface Listener {
    /**
     * A message arrived; its text is {@code line} from {@code textStart} to the end of the text
     * (which may be followed by protocol syntax such as a closing quote).
     */
    void onMessage(String line, int textStart);

    /** Something the workload never causes: an error, a refusal, a frame of the wrong kind. */
    void onUnexpected(String line);

    /** The connection ended, {@code byServer} or by {@link MessageConnection#close}. */
    void onClosed(boolean byServer);
  }
}
