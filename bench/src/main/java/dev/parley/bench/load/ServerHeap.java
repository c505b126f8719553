package dev.parley.bench.load;

/**
 * The server's Java heap in use, read from its Prometheus {@code /metrics}
 * ({@code jvm_memory_used_bytes{area="heap",id=...}}, Micrometer's JVM memory binder).
 *
 * @param usedMiB all heap pools together: young collections make this go up and down
 * @param oldGenMiB the old generation alone (what survives collections), or null when no pool is
 *     one (a collector without generations)
 */
public record ServerHeap(double usedMiB, Double oldGenMiB) {
  static final String HEAP_SERIES = "jvm_memory_used_bytes{area=\"heap\"";
  private static final double MIB = 1 << 20;

  static ServerHeap of(MetricsPage metrics) {
    double used = metrics.sum(HEAP_SERIES);
    if (Double.isNaN(used)) {
      throw new IllegalStateException("/metrics has no " + HEAP_SERIES + "...} series");
    }
    double old = metrics.sum(HEAP_SERIES, "Old Gen", "Tenured");
    return new ServerHeap(used / MIB, Double.isNaN(old) ? null : old / MIB);
  }

  /** From Prometheus text: the heap series summed, and the old generation's ("Old Gen", "Tenured"). */
  static ServerHeap parse(String metrics) {
    return of(new MetricsPage(metrics));
  }
}
