package dev.parley.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.ServerTrust;
import dev.parley.server.testing.TestServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench messages} against a real server: it must see every message exactly once, in order. */
class MessageBenchTest {
  /** As bench/messages-vs-ngircd.sh runs the server: its senders go far past the message rate limit. */
  private static final Map<String, Object> UNTHROTTLED = Map.of(
      "messages-per-second", 1_000_000, "message-burst", 1_000_000, "frames-per-second", 1_000_000, "frame-burst", 1_000_000);

  @TempDir Path dataDir;

  @Test
  void everyMessageArrivesOnceAndInOrder() throws InterruptedException {
    List<BenchUser> users = TestBenchUsers.create(dataDir, 8);
    try (TestServer server = TestServer.startOn(dataDir, UNTHROTTLED)) {
      MessageBenchResult result =
          MessageBench.run(
              new MessageBench.Config(
                  new ParleyTarget(new InetSocketAddress("127.0.0.1", server.tcpPort()), null, users),
                  4,
                  new MessageLoad(4, 64, Duration.ofMillis(500), Duration.ofSeconds(2), 2)));

      assertThat(result.delivered()).isPositive();
      assertThat(result.sent()).isGreaterThanOrEqualTo(result.delivered());
      assertThat(result.lost()).isZero();
      assertThat(result.duplicated()).isZero();
      assertThat(result.reordered()).isZero();
      assertThat(result.exact()).isTrue();
    }
  }

  @Test
  void overTlsEveryMessageArrivesOnceAndInOrder() throws InterruptedException {
    List<BenchUser> users = TestBenchUsers.create(dataDir, 8);
    Map<String, Object> tls = new HashMap<>(UNTHROTTLED);
    tls.put("tls", "self-signed");
    try (TestServer server = TestServer.startOn(dataDir, tls)) {
      ServerTrust pinned = ServerTrust.pinned(server.server().tlsFingerprint().orElseThrow());
      ParleyTarget target = new ParleyTarget(new InetSocketAddress("127.0.0.1", server.tcpPort()), pinned.sslContext(), users);
      MessageBenchResult result =
          MessageBench.run(new MessageBench.Config(target, 4, new MessageLoad(4, 2000, Duration.ofMillis(500), Duration.ofSeconds(2), 2)));

      assertThat(target.name()).startsWith("parley+tls://");
      assertThat(result.delivered()).isPositive();
      assertThat(result.exact()).isTrue();
    }
  }

  @Test
  void aSecondRunOnTheSameUsersIsDeliveredToo() throws InterruptedException {
    List<BenchUser> users = TestBenchUsers.create(dataDir, 2);
    try (TestServer server = TestServer.startOn(dataDir, UNTHROTTLED)) {
      MessageBench.Config config =
          new MessageBench.Config(
              new ParleyTarget(new InetSocketAddress("127.0.0.1", server.tcpPort()), null, users), 1, new MessageLoad(1, 64, Duration.ZERO, Duration.ofMillis(500), 1));
      MessageBench.run(config);

      MessageBenchResult again = MessageBench.run(config);

      assertThat(again.delivered()).isPositive();
      assertThat(again.exact()).isTrue();
    }
  }
}
