package dev.parley.app.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The server's memory and connection count as its {@code /metrics} tells them.
 *
 * @param rssBytes {@code process_resident_memory_bytes}
 * @param heapUsedBytes the sum of {@code jvm_memory_used_bytes{area="heap"}}: live objects and
 *     garbage not yet collected
 * @param openConnections {@code parley_connections_open}
 */
public record ServerMemory(long rssBytes, long heapUsedBytes, long openConnections) {

  /** Reads {@code /metrics} at {@code http} (the server's HTTP address, e.g. http://127.0.0.1:8080). */
  static ServerMemory scrape(URI http) throws InterruptedException {
    // A client of its own, closed after the scrape, so that no keep-alive connection stays counted.
    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(http.resolve("/metrics")).timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET /metrics: HTTP " + response.statusCode());
      }
      return parse(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + http.resolve("/metrics") + ": " + e.getMessage(), e);
    }
  }

  static ServerMemory parse(String prometheusText) {
    double rss = Double.NaN;
    double heap = 0;
    double open = Double.NaN;
    for (String line : prometheusText.split("\n")) {
      if (line.startsWith("process_resident_memory_bytes ")) {
        rss = value(line);
      } else if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        heap += value(line);
      } else if (line.startsWith("parley_connections_open ")) {
        open = value(line);
      }
    }
    if (Double.isNaN(rss) || Double.isNaN(open)) {
      throw new IllegalStateException("the server's /metrics has no process_resident_memory_bytes or parley_connections_open");
    }
    return new ServerMemory((long) rss, (long) heap, (long) open);
  }

  private static double value(String line) {
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }
}
