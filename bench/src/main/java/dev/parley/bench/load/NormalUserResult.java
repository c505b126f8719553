package dev.parley.bench.load;

import org.HdrHistogram.Histogram;

/**
 * What the normal user went through during one attack.
 *
 * @param loginMillis HTTP login, request to token
 * @param messageMillis send on one WebSocket to arrival on the other
 * @param failures logins and messages that failed or took longer than the step timeout (5 s)
 */
public record NormalUserResult(Latency loginMillis, Latency messageMillis, long failures) {

  /** Whether every login and message succeeded within {@code limitMillis}. */
  public boolean within(double limitMillis) {
    return failures == 0 && loginMillis.count() > 0 && messageMillis.count() > 0
        && loginMillis.max() < limitMillis && messageMillis.max() < limitMillis;
  }

  /** Percentiles in milliseconds, over {@code count} samples. */
  public record Latency(long count, double p50, double p99, double max) {
    static Latency of(Histogram micros) {
      return new Latency(
          micros.getTotalCount(),
          micros.getValueAtPercentile(50) / 1000.0,
          micros.getValueAtPercentile(99) / 1000.0,
          micros.getMaxValue() / 1000.0);
    }
  }
}
