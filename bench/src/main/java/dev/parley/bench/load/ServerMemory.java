package dev.parley.bench.load;

import java.net.URI;

/**
 * The server's memory and connection count as its {@code /metrics} tells them.
 *
 * @param rssBytes {@code process_resident_memory_bytes}
 * @param heapUsedBytes the sum of {@code jvm_memory_used_bytes{area="heap"}}: live objects and
 *     garbage not yet collected
 * @param openConnections {@code parley_connections_open}
 */
public record ServerMemory(long rssBytes, long heapUsedBytes, long openConnections) {

  /** Reads {@code /metrics} at {@code admin} (the server's admin listener, e.g. http://127.0.0.1:8081). */
  static ServerMemory scrape(URI admin) throws InterruptedException {
    return parse(MetricsPage.scrape(admin).text());
  }

  static ServerMemory parse(String prometheusText) {
    MetricsPage metrics = new MetricsPage(prometheusText);
    double rss = metrics.sum("process_resident_memory_bytes ");
    double open = metrics.sum("parley_connections_open ");
    if (Double.isNaN(rss) || Double.isNaN(open)) {
      throw new IllegalStateException("the server's /metrics has no process_resident_memory_bytes or parley_connections_open");
    }
    double heap = metrics.sum(ServerHeap.HEAP_SERIES);
    return new ServerMemory((long) rss, Double.isNaN(heap) ? 0 : (long) heap, (long) open);
  }
}
