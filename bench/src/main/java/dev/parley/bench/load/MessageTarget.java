package dev.parley.bench.load;

import java.util.List;

/**
 * The server that {@code bench messages} measures and the protocol it speaks: Parley's TCP line
 * protocol ({@link ParleyTarget}) or IRC ({@link IrcTarget}). The workload, the clock and the
 * checks live in {@link MessageBench} and {@link BenchPair}, so both targets are measured by the
 * same code; a target only opens connections. Implementations are thread-safe.
 */
public interface MessageTarget {
  /** The target as a URL, {@code parley://HOST:PORT} or {@code irc://HOST:PORT}, for reports. */
  String name();

  /**
   * Refuses a workload this target cannot run: more connections than it has users for, or
   * messages longer than its protocol carries.
   *
   * @throws IllegalArgumentException saying what is missing
   */
  void checkWorkload(int connections, int sizeBytes);

  /**
   * Opens connection number {@code index} of a run, ready to send and receive. {@code runTag} is
   * unique per run: connections use it where names or ids must not repeat across runs.
   *
   * @throws IllegalStateException when the server refuses the connection
   * @throws java.io.UncheckedIOException when it cannot be reached
   */
  MessageConnection open(int index, String runTag);

  /**
   * Gathers {@code members}, opened by this target's {@link #open} and not yet started, in one
   * group conversation that each of them receives, and returns its address for {@link
   * MessageConnection#writeToGroup}: a Parley room that the first member creates with the others
   * as members, or the IRC channel {@code #bench} that each member joins. Returns once every
   * member is in it.
   *
   * @throws IllegalStateException when the server refuses
   */
  String gather(List<MessageConnection> members, String runTag);
}
