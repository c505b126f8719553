package dev.parley.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench rooms} against a real server: every member must get every other member's messages exactly once, in order. */
class RoomBenchTest {
  /** As bench/rooms-vs-ngircd.sh runs the server: its senders go far past the message rate limit. */
  private static final Map<String, Object> UNTHROTTLED = Map.of(
      "messages-per-second", 1_000_000, "message-burst", 1_000_000, "frames-per-second", 1_000_000, "frame-burst", 1_000_000);

  @TempDir Path dataDir;

  @Test
  void everyMemberGetsEveryOtherMembersMessagesOnceAndInOrder() throws InterruptedException {
    List<BenchUser> users = TestBenchUsers.create(dataDir, 5);
    try (TestServer server = TestServer.startOn(dataDir, UNTHROTTLED)) {
      RoomBenchResult result =
          RoomBench.run(
              new RoomBench.Config(
                  new ParleyTarget(new InetSocketAddress("127.0.0.1", server.tcpPort()), null, users),
                  5,
                  2,
                  new MessageLoad(4, 64, Duration.ZERO, Duration.ofSeconds(1), 2)));

      assertThat(result.sent()).isPositive();
      assertThat(result.lost()).isZero();
      assertThat(result.duplicated()).isZero();
      assertThat(result.reordered()).isZero();
      assertThat(result.inexactReceivers()).isZero();
      // Each message goes to the 4 members but its sender.
      assertThat(result.received()).isEqualTo(result.sent() * 4);
      assertThat(result.deliveries()).isPositive().isLessThanOrEqualTo(result.received());
    }
  }
}
