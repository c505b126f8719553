package dev.parley.bench.load;

import org.HdrHistogram.Histogram;

/**
 * What one {@code bench messages} run measured. {@code delivered} and the latencies cover only
 * the measured window (after warm-up); {@code sent}, {@code lost}, {@code duplicated} and {@code
 * reordered} cover the whole run, warm-up included, once in-flight messages have drained.
 *
 * @param target the server measured, as {@link MessageTarget#name()}
 * @param deliveredPerSecond messages received in the measured window, per second of it
 * @param latencyMillis send → receive, of messages received in the measured window
 */
public record MessageBenchResult(
    String target,
    int pairs,
    int window,
    int sizeBytes,
    double seconds,
    long sent,
    long delivered,
    double deliveredPerSecond,
    Latency latencyMillis,
    long lost,
    long duplicated,
    long reordered) {

  /** Percentiles of end-to-end latency, in milliseconds. */
  public record Latency(double p50, double p99, double p999, double max) {
    static Latency ofMicros(Histogram micros) {
      return new Latency(
          millis(micros.getValueAtPercentile(50)),
          millis(micros.getValueAtPercentile(99)),
          millis(micros.getValueAtPercentile(99.9)),
          millis(micros.getMaxValue()));
    }

    private static double millis(long micros) {
      return micros / 1000.0;
    }
  }

  /** Whether every message arrived exactly once and in order. */
  public boolean exact() {
    return lost == 0 && duplicated == 0 && reordered == 0;
  }
}
