package dev.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.parley.server.testing.CapturedLog;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.TestDatabase;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /healthz tells when PostgreSQL stops answering, and is ok again by itself when it is back. */
class DatabaseHealthTest {
  @RegisterExtension
  final CapturedLog probeLog = new CapturedLog("dev.parley.server.store.postgres.ReachabilityProbe");

  @Test
  void aDatabaseThatRefusesConnectionsMakesHealthzUnhealthyUntilItIsBack() {
    try (TestDatabase database = TestDatabase.create();
        TestServer server = TestServer.start(Map.of("database", database.url()))) {
      Http admin = new Http(server.admin());
      assertThat(admin.get("/healthz", null).status()).isEqualTo(200);

      database.refuseConnections();
      await().atMost(Duration.ofSeconds(15)).until(() -> admin.get("/healthz", null).status() == 503);
      Http.Reply unhealthy = admin.get("/healthz", null);
      assertThat(unhealthy.body().path("status").asText()).isEqualTo("unhealthy");
      assertThat(unhealthy.body().path("checks").path("database").asText()).startsWith("unreachable: ");
      // Several probes fail while it stays down: still one line for the episode.
      await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).until(() -> admin.get("/healthz", null).status() == 503);
      assertThat(probeLog.messages(Level.ERROR)).hasSize(1);

      database.allowConnections();
      await().atMost(Duration.ofSeconds(15)).until(() -> admin.get("/healthz", null).status() == 200);
      assertThat(probeLog.messages(Level.INFO)).singleElement().asString().contains("answers again");
      // Without a restart, the stores work again: a registration needs the database.
      assertThat(new TestUsers(server).create("后来的人").token()).isNotBlank();
    }
  }
}
