package dev.parley.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.admin.OperatorAccounts;
import dev.parley.server.testing.TestServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench messages} against a real server: it must see every message exactly once, in order. */
class MessageBenchTest {
  /** As bench/messages-vs-ngircd.sh runs the server: its senders go far past the message rate limit. */
  private static final Map<String, Object> UNTHROTTLED = Map.of("messages-per-second", 1_000_000, "message-burst", 1_000_000);

  @TempDir Path dataDir;

  @Test
  void everyMessageArrivesOnceAndInOrder() throws InterruptedException {
    List<BenchUser> users = usersWithTokens(8);
    try (TestServer server = TestServer.startOn(dataDir, UNTHROTTLED)) {
      MessageBenchResult result =
          MessageBench.run(
              new MessageBench.Config(
                  new ParleyTarget(new InetSocketAddress("127.0.0.1", server.tcpPort()), users),
                  4,
                  4,
                  64,
                  Duration.ofMillis(500),
                  Duration.ofSeconds(2),
                  2));

      assertThat(result.delivered()).isPositive();
      assertThat(result.sent()).isGreaterThanOrEqualTo(result.delivered());
      assertThat(result.lost()).isZero();
      assertThat(result.duplicated()).isZero();
      assertThat(result.reordered()).isZero();
      assertThat(result.exact()).isTrue();
    }
  }

  @Test
  void aSecondRunOnTheSameUsersIsDeliveredToo() throws InterruptedException {
    List<BenchUser> users = usersWithTokens(2);
    try (TestServer server = TestServer.startOn(dataDir, UNTHROTTLED)) {
      MessageBench.Config config =
          new MessageBench.Config(
              new ParleyTarget(new InetSocketAddress("127.0.0.1", server.tcpPort()), users), 1, 1, 64, Duration.ZERO, Duration.ofMillis(500), 1);
      MessageBench.run(config);

      MessageBenchResult again = MessageBench.run(config);

      assertThat(again.delivered()).isPositive();
      assertThat(again.exact()).isTrue();
    }
  }

  /** Users and tokens the way {@code parley admin} makes them, in pair order. */
  private List<BenchUser> usersWithTokens(int count) {
    List<String> names = IntStream.range(0, count).mapToObj(i -> "u" + i).toList();
    try (OperatorAccounts accounts = OperatorAccounts.open(dataDir)) {
      accounts.createUsers(names, "not-the-point-1");
      return accounts.mintTokens(names).stream().map(minted -> new BenchUser(minted.username(), minted.token())).toList();
    }
  }
}
