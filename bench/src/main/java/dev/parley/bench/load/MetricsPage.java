package dev.parley.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A server's Prometheus {@code /metrics} page, fetched once; the benches read their figures from it. */
record MetricsPage(String text) {
  /**
   * Fetches {@code /metrics} from the server's admin listener (e.g. http://127.0.0.1:8081). A
   * client of its own, closed afterwards, so that no keep-alive connection of the bench stays open.
   */
  static MetricsPage scrape(URI admin) throws InterruptedException {
    URI uri = admin.resolve("/metrics");
    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      HttpResponse<String> response =
          client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET " + uri + " answered " + response.statusCode());
      }
      return new MetricsPage(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + uri, e);
    }
  }

  /**
   * The sum of the samples whose line starts with {@code series} (a name, or a name and the start
   * of its labels) and contains one of {@code fragments} (any, when none is given); NaN when no
   * line does.
   */
  double sum(String series, String... fragments) {
    double sum = Double.NaN;
    for (String line : text.split("\n")) {
      if (line.startsWith(series) && containsAny(line, fragments)) {
        double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        sum = Double.isNaN(sum) ? value : sum + value;
      }
    }
    return sum;
  }

  private static boolean containsAny(String line, String[] fragments) {
    if (fragments.length == 0) {
      return true;
    }
    for (String fragment : fragments) {
      if (line.contains(fragment)) {
        return true;
      }
    }
    return false;
  }
}
