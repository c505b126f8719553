package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.bench.load.ConnectionBench;
import dev.parley.bench.load.ConnectionBenchResult;
import dev.parley.app.BenchSetup;
import dev.parley.app.InProcessCli;
import dev.parley.server.testing.TestServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench connections} against a real server: every connection authenticates, stays, and answers its pings. */
class BenchConnectionsTest {
  private static final int COUNT = 50;

  @TempDir Path dataDir;
  @TempDir Path work;

  @Test
  void fiftyTcpConnectionsFromTwoSourcesAuthenticateAndAnswerPings() throws Exception {
    Path tokens = tokenFile(COUNT);
    try (TestServer server = TestServer.startOn(dataDir, Map.of())) {
      InProcessCli.Run run = new InProcessCli(work.resolve("cli"), environment -> BenchMain.commandLine()).run(
          "bench", "connections", "--count", String.valueOf(COUNT), "--transport", "tcp",
          "--server", server.http().toString(), "--tcp-port", String.valueOf(server.tcpPort()),
          "--admin", server.admin().toString(),
          "--tokens", tokens.toString(), "--sources", "2", "--hold", "1.5", "--json");

      assertThat(run.exitCode()).as(run.err()).isZero();
      JsonNode result = new ObjectMapper().readTree(run.out());
      assertThat(result.get("connected").asLong()).isEqualTo(COUNT);
      assertThat(result.get("failures").size()).isZero();
      assertThat(result.get("pingsSent").asLong()).isGreaterThanOrEqualTo(COUNT);
      assertThat(result.get("pongsReceived").asLong()).isEqualTo(result.get("pingsSent").asLong());
      assertThat(result.get("closedByServer").asLong()).isZero();
      // Read while all were held; the scrape's own connection is on the admin listener, not counted.
      assertThat(result.get("server").get("after").get("openConnections").asLong()).isEqualTo(COUNT);
      assertThat(result.get("server").get("after").get("rssBytes").asLong()).isPositive();
    }
  }

  @Test
  void webSocketConnectionsFromTwoGeneratorProcessesAreAllCounted() throws Exception {
    Path tokens = tokenFile(COUNT);
    try (TestServer server = TestServer.startOn(dataDir, Map.of())) {
      ConnectionBenchResult result = ConnectionBench.run(new ConnectionBench.Config(
          "ws", null, server.http(), server.admin(), tokens, COUNT, 3, 2,
          Duration.ofSeconds(1), Duration.ofSeconds(30)));

      assertThat(result.connected()).isEqualTo(COUNT);
      assertThat(result.clean()).as(result.toString()).isTrue();
      assertThat(result.server().after().openConnections()).isEqualTo(COUNT);
    }
  }

  @Test
  void connectionsPastTheServersLimitAreReportedAsServerFull() throws Exception {
    Path tokens = tokenFile(10);
    try (TestServer server = TestServer.startOn(dataDir, Map.of("max-connections", 6))) {
      ConnectionBenchResult result = ConnectionBench.run(new ConnectionBench.Config(
          "tcp", new InetSocketAddress("127.0.0.1", server.tcpPort()), null, null, tokens, 10, 1, 1,
          Duration.ofMillis(200), Duration.ofSeconds(30)));

      assertThat(result.connected()).isEqualTo(6);
      assertThat(result.failures()).containsExactly(Map.entry("server_full", 4L));
      assertThat(result.clean()).isFalse();
    }
  }

  private Path tokenFile(int count) {
    return BenchSetup.usersWithTokens(work, dataDir, count);
  }
}
