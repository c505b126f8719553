package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.app.InProcessCli;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parley bench attacks}, shortened, against a real server with the default limits: every
 * attack gets its row, and each attacker meets the refusal the server's limits promise. The
 * normal user's latency is the bench's figure to measure, not asserted here.
 */
class BenchAttacksTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> ATTACKS =
      List.of(
          "none",
          "history pipeline",
          "ping flood tcp",
          "ping flood ws",
          "download pipeline",
          "slowloris http",
          "slowloris tcp",
          "register taken",
          "register flood",
          "password guessing",
          "message flood",
          "upload limits",
          "connections per address");

  @TempDir Path home;

  @Test
  void everyAttackGetsARowAndMeetsTheServersRefusals() throws Exception {
    // The registration limits at their defaults (the test servers' are raised for suites that
    // register many users); the deadlines and the per-address cap lowered to fit a short run.
    Map<String, Object> settings =
        Map.of(
            "registrations-per-address-per-hour", 30,
            "registrations-per-hour", 1000,
            "header-timeout-seconds", 1,
            "auth-timeout-seconds", 1,
            "max-connections-per-address", 70);
    try (TestServer server = TestServer.start(settings)) {
      TestUsers users = new TestUsers(server);
      for (int i = 0; i < 5; i++) {
        users.create("t" + i);
      }

      InProcessCli.Run run =
          new InProcessCli(home, environment -> BenchMain.commandLine())
              .run("bench", "attacks", "--server", server.http().toString(), "--tcp-port", Integer.toString(server.tcpPort()),
                  "--admin", server.admin().toString(),
                  "--prefix", "t", "--password", TestUsers.PASSWORD, "--seconds", "1", "--deadline-seconds", "2",
                  "--connections", "8", "--cap-connections", "75", "--json");

      assertThat(run.err()).isEmpty();
      Map<String, JsonNode> answers = new HashMap<>();
      for (JsonNode row : JSON.readTree(run.out()).get("rows")) {
        answers.put(row.get("attack").asText(), row.get("answers"));
        assertThat(row.get("normal").get("loginMillis").get("count").asLong()).as(row.get("attack").asText()).isPositive();
      }
      assertThat(answers.keySet()).containsExactlyInAnyOrderElementsOf(ATTACKS);
      // Which refusal meets the pipelined histories depends on how fast the readers fill the
      // output: past 16 MiB queued the connection is closed, past 128 requests in flight the rest
      // are refused. A loaded machine gets the second before the first.
      assertThat(count(answers, "history pipeline", "bye slow_consumer") + count(answers, "history pipeline", "rate_limited"))
          .isPositive();
      assertThat(count(answers, "ping flood tcp", "pong")).isPositive();
      assertThat(count(answers, "ping flood ws", "ws pong")).isPositive();
      assertThat(count(answers, "download pipeline", "http 200")).isPositive();
      assertThat(count(answers, "slowloris http", "closed by server")).isEqualTo(8);
      assertThat(count(answers, "slowloris tcp", "bye auth_timeout")).isEqualTo(8);
      assertThat(count(answers, "connections per address", "too_many_connections")).isEqualTo(5);
      assertThat(count(answers, "register taken", "username_taken")).isPositive();
      assertThat(count(answers, "register flood", "registered")).isBetween(1L, 30L);
      assertThat(count(answers, "register flood", "rate_limited")).isPositive();
      assertThat(count(answers, "password guessing", "bad_credentials")).isPositive();
      assertThat(count(answers, "password guessing", "rate_limited")).isPositive();
      assertThat(count(answers, "message flood", "ack")).isPositive();
      assertThat(count(answers, "message flood", "rate_limited")).isPositive();
      assertThat(count(answers, "upload limits", "http 201")).isPositive();
      assertThat(count(answers, "upload limits", "http 413 quota_exceeded")).isPositive();
      assertThat(count(answers, "upload limits", "http 429 rate_limited")).isPositive();
    }
  }

  private static long count(Map<String, JsonNode> answers, String attack, String answer) {
    return answers.get(attack).path(answer).asLong(0);
  }
}
