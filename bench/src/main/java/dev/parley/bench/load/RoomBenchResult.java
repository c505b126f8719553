package dev.parley.bench.load;

/**
 * What one {@code bench rooms} run measured. {@code deliveries}, the rates and the latencies
 * cover only the measured window (after warm-up); {@code sent}, {@code lost}, {@code duplicated}
 * and {@code reordered} cover the whole run, warm-up included, once in-flight messages have
 * drained. The last three are counted per receiver and summed: a message that one receiver
 * missed counts once, one that three missed counts three times.
 *
 * @param target the server measured, as {@link MessageTarget#name()}
 * @param received messages received by a member over the whole run, once each, each receiver counted
 * @param deliveries messages received by a member in the measured window, each receiver counted
 * @param deliveriesPerSecond {@code deliveries} per second of the measured window
 * @param messagesPerSecond messages the senders sent in the measured window, per second of it
 * @param latencyMillis send → receive, of the deliveries in the measured window
 * @param inexactReceivers members that lost, duplicated or reordered any message
 */
public record RoomBenchResult(
    String target,
    int members,
    int senders,
    int window,
    int sizeBytes,
    double seconds,
    long sent,
    long received,
    long deliveries,
    double deliveriesPerSecond,
    double messagesPerSecond,
    MessageBenchResult.Latency latencyMillis,
    long lost,
    long duplicated,
    long reordered,
    int inexactReceivers) {

  /** Whether every member got every other member's messages exactly once and in order. */
  public boolean exact() {
    return lost == 0 && duplicated == 0 && reordered == 0;
  }
}
