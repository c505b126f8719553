package dev.parley.bench.load;

import java.io.UncheckedIOException;
import java.net.URI;

/**
 * Reads the server's {@code /metrics} twice a second during an attack, on a thread of its own:
 * the largest resident memory and open-connection count seen, and the Argon2 hashes computed.
 */
final class ServerSampler {
  private static final long INTERVAL_MILLIS = 500;

  private final URI metrics;
  private final Thread thread;
  private volatile boolean stopping;
  private double residentMax = Double.NaN;
  private double connectionsMax = Double.NaN;
  private double firstHashes = Double.NaN;
  private double lastHashes = Double.NaN;

  private ServerSampler(URI metrics) {
    this.metrics = metrics;
    this.thread = metrics == null ? null : Thread.ofVirtual().start(this::sample);
  }

  /** Starts sampling {@code metrics} (the address that serves /metrics), or nothing when it is null. */
  static ServerSampler start(URI metrics) {
    return new ServerSampler(metrics);
  }

  /** Stops, and returns what was seen; NaN for what was never read. */
  AttackBenchResult.ServerFigures stop() throws InterruptedException {
    stopping = true;
    if (thread != null) {
      thread.join();
    }
    return new AttackBenchResult.ServerFigures(residentMax / (1 << 20), connectionsMax, lastHashes - firstHashes);
  }

  private void sample() {
    while (true) {
      try {
        MetricsPage page = MetricsPage.scrape(metrics);
        residentMax = max(residentMax, page.sum("process_resident_memory_bytes "));
        connectionsMax = max(connectionsMax, page.sum("parley_connections_open "));
        double hashes = page.sum("parley_password_hashes_total");
        firstHashes = Double.isNaN(firstHashes) ? hashes : firstHashes;
        lastHashes = hashes;
      } catch (UncheckedIOException | IllegalStateException e) {
        // A scrape refused or slowed by the attack is a sample lost, not a failed run.
      } catch (InterruptedException e) {
        return;
      }
      if (stopping) {
        return;
      }
      try {
        Thread.sleep(INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static double max(double a, double b) {
    return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
  }
}
