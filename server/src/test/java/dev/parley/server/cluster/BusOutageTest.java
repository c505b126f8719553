package dev.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.CapturedLog;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.TestDatabase;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUser;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bus going away: a nats-server of this test's own (Debian's /usr/sbin/nats-server on a free
 * port) that the test stops and starts again, and a node that must say so in /healthz while it
 * keeps serving its own sessions; and another node that dies without a word, played by a real
 * NATS client that sends heartbeats and then stops.
 */
class BusOutageTest {
  @RegisterExtension final CapturedLog log = new CapturedLog(NatsBus.class);

  @Test
  void healthzSaysTheBusIsLostWhileItIsAndTheNodeKeepsServingItsOwnSessions() throws Exception {
    int port = freePort();
    Process nats = startNats(port);
    try (TestDatabase database = TestDatabase.create();
        TestServer node = TestServer.start(Map.of("database", database.url(), "bus", "nats://127.0.0.1:" + port))) {
      Http http = new Http(node.http());
      assertThat(http.get("/healthz", null).status()).isEqualTo(200);
      TestUser lea = new TestUsers(node).create("lea");
      TestUser max = new TestUsers(node).create("max");

      stop(nats);
      await().atMost(Duration.ofSeconds(15)).until(() -> http.get("/healthz", null).status() == 503);
      assertThat(http.get("/healthz", null).body().toString()).contains("bus", "lost the bus at nats://127.0.0.1:" + port);
      try (FrameClient leaLive = Transport.TCP.connect(node, lea.token(), null);
          FrameClient maxLive = Transport.TCP.connect(node, max.token(), null)) {
        ServerFrame.Ack sent = leaLive.sendMessage("1", "max", "the bus is down, we are not");
        assertThat(maxLive.nextMatching(ServerFrame.Message.class, m -> m.seq() == sent.seq()).text())
            .isEqualTo("the bus is down, we are not");
      }

      nats = startNats(port);
      await().atMost(Duration.ofSeconds(15)).until(() -> http.get("/healthz", null).status() == 200);
      assertThat(log.messages(Level.WARN)).filteredOn(line -> line.contains("lost the bus")).hasSize(1);
      assertThat(log.messages(Level.INFO)).filteredOn(line -> line.contains("connected again")).hasSize(1);
    } finally {
      stop(nats);
    }
  }

  @Test
  void theUsersOfANodeThatStopsHeartbeatingGoOfflineWithinTheLease() throws Exception {
    String subject = "parley-test-" + UUID.randomUUID().toString().substring(0, 8);
    try (TestDatabase database = TestDatabase.create();
        TestServer node = TestServer.start(Map.of("database", database.url(), "bus", "nats://127.0.0.1:4222",
            "bus-subject", subject, "presence-heartbeat-seconds", 1, "presence-lease-seconds", 2));
        Connection ghost = Nats.connect("nats://127.0.0.1:4222")) {
      TestUser ned = new TestUsers(node).create("ned");
      try (FrameClient nedLive = Transport.TCP.connect(node, ned.token(), null)) {
        nedLive.send(new ClientFrame.Watch("w", List.of("ola", "pia")));
        assertThat(nedLive.nextMatching(ServerFrame.Presence.class, p -> p.username().equals("ola")).online()).isFalse();
        assertThat(nedLive.nextMatching(ServerFrame.Presence.class, p -> p.username().equals("pia")).online()).isFalse();

        // The other node's heartbeat, as a Parley node sends it, in two parts: ola and pia are connected there.
        for (String part : List.of(
            "{\"event\":\"heartbeat\",\"node\":\"ghost\",\"round\":7,\"part\":0,\"parts\":2,\"users\":[{\"id\":998,\"username\":\"ola\"}]}",
            "{\"event\":\"heartbeat\",\"node\":\"ghost\",\"round\":7,\"part\":1,\"parts\":2,\"users\":[{\"id\":999,\"username\":\"pia\"}]}")) {
          ghost.publish(subject + ".events", part.getBytes(StandardCharsets.UTF_8));
        }
        ghost.flush(Duration.ofSeconds(5));
        assertThat(nedLive.nextMatching(ServerFrame.Presence.class, p -> p.username().equals("ola")).online()).isTrue();
        assertThat(nedLive.nextMatching(ServerFrame.Presence.class, p -> p.username().equals("pia")).online()).isTrue();

        // The ghost node dies: no more heartbeats, and no word about it.
        long diedAt = System.nanoTime();
        assertThat(nedLive.nextMatching(ServerFrame.Presence.class, p -> p.username().equals("ola")).online()).isFalse();
        assertThat(nedLive.nextMatching(ServerFrame.Presence.class, p -> p.username().equals("pia")).online()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - diedAt)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
      }
    }
  }

  private static Process startNats(int port) throws IOException {
    Process nats = new ProcessBuilder("/usr/sbin/nats-server", "-a", "127.0.0.1", "-p", String.valueOf(port))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
        return true;
      }
    });
    return nats;
  }

  private static void stop(Process nats) throws InterruptedException {
    nats.destroy();
    nats.waitFor();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
