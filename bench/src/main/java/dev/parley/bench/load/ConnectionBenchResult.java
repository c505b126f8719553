package dev.parley.bench.load;

import java.util.Map;

/**
 * What one {@code bench connections} run measured, over all generator processes.
 *
 * @param connectSeconds from the first connect to the last welcome
 * @param connectsPerSecond authenticated connections per second of {@code connectSeconds}
 * @param failures connections that never got their welcome, by reason
 * @param closedByServer authenticated connections the server ended during the hold
 * @param server the server's memory before the connections and at the end of the hold; null
 *     without {@code --http}
 */
public record ConnectionBenchResult(
    String transport,
    int count,
    int sources,
    int processes,
    double holdSeconds,
    long connected,
    double connectSeconds,
    double connectsPerSecond,
    Map<String, Long> failures,
    long pingsSent,
    long pongsReceived,
    long closedByServer,
    Memory server) {

  /**
   * @param rssPerConnectionBytes RSS growth divided by connections held
   * @param heapPerConnectionBytes heap-in-use growth divided by connections held (garbage included)
   */
  public record Memory(
      ServerMemory before, ServerMemory after, double rssPerConnectionBytes, double heapPerConnectionBytes) {}

  /** Every connection authenticated and stayed, and every ping was answered. */
  public boolean clean() {
    return connected == count && failures.isEmpty() && closedByServer == 0 && pongsReceived == pingsSent;
  }
}
