package dev.parley.bench.load;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The receivers' counts of one run summed: duplicated and reordered messages, deliveries in the
 * measured window, and their latencies merged. Made once the loops have stopped.
 */
record DeliveryTotals(long duplicated, long reordered, long delivered, MessageBenchResult.Latency latencyMillis) {
  /** What one receiver counted, as its snapshot at the end of a run says it. */
  interface Counts {
    long duplicated();

    long reordered();

    long delivered();

    Histogram latencyMicros();
  }

  static DeliveryTotals of(List<? extends Counts> receivers) {
    Histogram latencyMicros = new Histogram(3);
    long duplicated = 0;
    long reordered = 0;
    long delivered = 0;
    for (Counts counts : receivers) {
      duplicated += counts.duplicated();
      reordered += counts.reordered();
      delivered += counts.delivered();
      latencyMicros.add(counts.latencyMicros());
    }
    return new DeliveryTotals(duplicated, reordered, delivered, MessageBenchResult.Latency.ofMicros(latencyMicros));
  }
}
