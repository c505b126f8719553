package dev.parley.server.transport;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.Http;
import dev.parley.server.testing.Http.Reply;
import dev.parley.server.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /metrics} lives on the admin listener, and on the public port only behind metrics-token. */
class AdminListenerTest {

  @Test
  void metricsAreOnTheAdminListenerAndNotOnThePublicPort() {
    try (TestServer server = TestServer.start()) {
      Http publicPort = new Http(server.http());
      Http admin = new Http(server.admin());

      Reply hidden = publicPort.get("/metrics", null);
      assertThat(hidden.status()).isEqualTo(404);
      assertThat(hidden.errorCode()).isEqualTo("not_found");

      Reply metrics = admin.get("/metrics", null);
      assertThat(metrics.status()).isEqualTo(200);
      assertThat(metrics.raw().headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(metrics.raw().body()).contains("parley_connections_open");
    }
  }

  @Test
  void healthIsOnBothListeners() {
    try (TestServer server = TestServer.start()) {
      assertThat(new Http(server.http()).get("/healthz", null).status()).isEqualTo(200);
      assertThat(new Http(server.admin()).get("/healthz", null).status()).isEqualTo(200);
      assertThat(new Http(server.admin()).get("/api/v1/password-policy", null).status()).isEqualTo(404);
    }
  }

  @Test
  void theAdminListenerBindsToLoopbackByDefault() {
    try (TestServer server = TestServer.start()) {
      assertThat(server.server().adminAddress().getAddress().isLoopbackAddress()).isTrue();
      assertThat(server.server().adminAddress().getPort()).isNotEqualTo(server.httpPort());
    }
  }

  @Test
  void withAMetricsTokenThePublicPortServesMetricsToItsBearerOnly() {
    try (TestServer server = TestServer.start(Map.of("metrics-token", "scrape-me-7f3a"))) {
      Http publicPort = new Http(server.http());

      Reply anonymous = publicPort.get("/metrics", null);
      assertThat(anonymous.status()).isEqualTo(401);
      assertThat(anonymous.errorCode()).isEqualTo("unauthorized");
      assertThat(publicPort.get("/metrics", "scrape-me-7f3").status()).isEqualTo(401);
      assertThat(publicPort.get("/metrics", "scrape-me-7f3a-and-more").status()).isEqualTo(401);

      Reply user = publicPort.get("/metrics", publicPort.registerAndLogin("carol", PASSWORD));
      assertThat(user.status()).isEqualTo(401);

      Reply scraped = publicPort.get("/metrics", "scrape-me-7f3a");
      assertThat(scraped.status()).isEqualTo(200);
      assertThat(scraped.raw().body()).contains("parley_connections_open");
    }
  }
}
