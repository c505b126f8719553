package dev.parley.app.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The server's Java heap in use, read from its Prometheus {@code /metrics}
 * ({@code jvm_memory_used_bytes{area="heap",id=...}}, Micrometer's JVM memory binder).
 *
 * @param usedMiB all heap pools together: young collections make this go up and down
 * @param oldGenMiB the old generation alone (what survives collections), or null when no pool is
 *     one (a collector without generations)
 */
public record ServerHeap(double usedMiB, Double oldGenMiB) {
  private static final String HEAP_SERIES = "jvm_memory_used_bytes{area=\"heap\"";
  private static final double MIB = 1 << 20;

  /** Reads the metrics page of the server at {@code http} once. */
  static ServerHeap read(HttpClient client, URI http) {
    HttpRequest request = HttpRequest.newBuilder(http.resolve("/metrics")).timeout(Duration.ofSeconds(10)).build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET /metrics answered " + response.statusCode());
      }
      return parse(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** From Prometheus text: the heap series summed, and the old generation's ("Old Gen", "Tenured"). */
  static ServerHeap parse(String metrics) {
    double used = 0;
    Double old = null;
    boolean found = false;
    for (String line : metrics.split("\n")) {
      if (!line.startsWith(HEAP_SERIES)) {
        continue;
      }
      double bytes = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      found = true;
      used += bytes;
      if (line.contains("Old Gen") || line.contains("Tenured")) {
        old = (old == null ? 0 : old) + bytes;
      }
    }
    if (!found) {
      throw new IllegalStateException("/metrics has no " + HEAP_SERIES + "...} series");
    }
    return new ServerHeap(used / MIB, old == null ? null : old / MIB);
  }
}
