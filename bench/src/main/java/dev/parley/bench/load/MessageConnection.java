package dev.parley.bench.load;

/**
 * One connection of the load generator to a {@link MessageTarget}, open and past its handshake.
 * Once {@link #start}ed it belongs to one {@link LineLoop}: {@link #write} and the listener's
 * calls happen on that loop's thread. {@link #close} may come from any thread.
 */
interface MessageConnection extends AutoCloseable {
  /** What other connections name as the recipient to reach this one: a username or a nick. */
  String address();

  /**
   * Buffers one message; it leaves when the loop has handled what it read. {@code seq} numbers
   * this connection's messages in the run, from 0.
   */
  void write(String to, long seq, String text);

  /** As {@link #write}, to the group conversation that {@link MessageTarget#gather} returned. */
  void writeToGroup(String group, long seq, String text);

  /** On {@code loop}'s thread: from now on, tells {@code listener} what arrives. */
  void start(LineLoop loop, Listener listener);

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
