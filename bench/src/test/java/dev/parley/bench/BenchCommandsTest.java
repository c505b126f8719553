package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.app.InProcessCli;
import dev.parley.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley bench} commands against a real server, with users made by {@code parley admin}. */
class BenchCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;

  private InProcessCli cli() {
    return new InProcessCli(home.resolve("cli"));
  }

  private InProcessCli bench() {
    return new InProcessCli(home.resolve("cli"), environment -> BenchMain.commandLine());
  }

  /** Two users u0, u1 with tokens in {@code tokens.tsv}, as the README's bench setup makes them. */
  private Path tokensFor(TestServer server) {
    Path tokens = home.resolve("tokens.tsv");
    String dataDir = server.dataDir().toString();
    assertThat(cli().run("admin", "create-users", "--data-dir", dataDir, "--count", "2").exitCode()).isZero();
    assertThat(cli().run("admin", "mint-tokens", "--data-dir", dataDir, "--count", "2", "--out", tokens.toString()).exitCode())
        .isZero();
    return tokens;
  }

  @Test
  void filesMovesEveryByteBothWaysAndLeavesNoTemporaryFiles() throws Exception {
    Path temp = Files.createDirectories(home.resolve("temp"));
    try (TestServer server = TestServer.start()) {
      InProcessCli.Run run =
          bench().run("bench", "files", "--server", server.http().toString(), "--admin", server.admin().toString(),
              "--tokens", tokensFor(server).toString(),
              "--size", "8MiB", "--temp-dir", temp.toString(), "--json");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      JsonNode result = JSON.readTree(run.out());
      assertThat(result.get("sizeBytes").asLong()).isEqualTo(8L << 20);
      assertThat(result.get("downloadedBytes").asLong()).isEqualTo(8L << 20);
      assertThat(result.get("hashMatches").asBoolean()).isTrue();
      for (String transfer : new String[] {"rawLoopback", "upload", "download", "streamedDownload"}) {
        assertThat(result.get(transfer).get("megabytesPerSecond").asDouble()).as(transfer).isPositive();
      }
      assertThat(result.get("heapMiB").get("afterDownload").get("usedMiB").asDouble()).isPositive();
      try (Stream<Path> left = Files.list(temp)) {
        assertThat(left).isEmpty();
      }
    }
  }

  @Test
  void loginsLogInForRealAndReportTheCostOfTheStoredHash() throws Exception {
    try (TestServer server = TestServer.start()) {
      String dataDir = server.dataDir().toString();
      cli().run("admin", "create-users", "--data-dir", dataDir, "--count", "3", "--prefix", "l");

      InProcessCli.Run run =
          bench().run("bench", "logins", "--server", server.http().toString(), "--count", "5", "--concurrency", "2",
              "--prefix", "l", "--users", "3", "--data-dir", dataDir, "--json");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      JsonNode result = JSON.readTree(run.out());
      assertThat(result.get("succeeded").asLong()).isEqualTo(5);
      assertThat(result.get("failed").asLong()).isZero();
      assertThat(result.get("loginsPerSecond").asDouble()).isPositive();
      assertThat(result.get("latencyMillis").get("p50").asDouble()).isPositive();
      // create-users hashes with the default cost, not the test server's cheap one: the hash decides.
      JsonNode argon2 = result.get("argon2");
      assertThat(argon2.get("memoryKib").asInt()).isEqualTo(19456);
      assertThat(argon2.get("iterations").asInt()).isEqualTo(2);
      assertThat(argon2.get("parallelism").asInt()).isEqualTo(1);
      assertThat(argon2.get("source").asText()).contains("stored hash of l0");
    }
  }

  @Test
  void loginsWithAWrongPasswordAreCountedAsFailuresAndFailTheRun() throws Exception {
    try (TestServer server = TestServer.start()) {
      cli().run("admin", "create-users", "--data-dir", server.dataDir().toString(), "--count", "1");

      InProcessCli.Run run =
          bench().run("bench", "logins", "--server", server.http().toString(), "--count", "3", "--users", "1",
              "--password", "not-the-password-1", "--json");

      assertThat(run.exitCode()).isEqualTo(1);
      JsonNode result = JSON.readTree(run.out());
      assertThat(result.get("failed").asLong()).isEqualTo(3);
      assertThat(result.get("succeeded").asLong()).isZero();
      assertThat(result.get("firstFailure").asText()).startsWith("u0: ");
    }
  }

  @Test
  void messagesTakesOneTargetAndTokensOnlyForParley() {
    InProcessCli.Run both = bench().run("bench", "messages", "--server", "http://127.0.0.1:1", "--target", "irc://127.0.0.1:1");
    InProcessCli.Run ircWithTokens = bench().run("bench", "messages", "--target", "irc://127.0.0.1:1", "--tokens", "t.tsv");
    InProcessCli.Run parleyWithout = bench().run("bench", "messages", "--server", "http://127.0.0.1:1");
    InProcessCli.Run otherScheme = bench().run("bench", "messages", "--target", "xmpp://127.0.0.1:1");

    assertThat(both.exitCode()).isEqualTo(1);
    assertThat(both.err()).contains("either --server URL (Parley) or --target irc://HOST:PORT");
    assertThat(ircWithTokens.err()).contains("--tokens is for a Parley server");
    assertThat(parleyWithout.err()).contains("a Parley server needs --tokens FILE");
    assertThat(otherScheme.err()).contains("--target takes irc://HOST:PORT");
  }

  @Test
  void roomsTakesOneTargetAndARoomOfAtLeastTwoWithSendersAmongThem() {
    InProcessCli.Run both = bench().run("bench", "rooms", "--server", "http://127.0.0.1:1", "--target", "irc://127.0.0.1:1");
    InProcessCli.Run oneMember = bench().run("bench", "rooms", "--target", "irc://127.0.0.1:1", "--members", "1", "--senders", "1");
    InProcessCli.Run moreSenders = bench().run("bench", "rooms", "--target", "irc://127.0.0.1:1", "--members", "3", "--senders", "4");

    assertThat(both.exitCode()).isEqualTo(1);
    assertThat(both.err()).contains("either --server URL (Parley) or --target irc://HOST:PORT");
    assertThat(oneMember.exitCode()).isEqualTo(1);
    assertThat(oneMember.err()).contains("a room needs at least 2 members, and 1 to 1 of them sending");
    assertThat(moreSenders.err()).contains("a room needs at least 2 members, and 1 to 3 of them sending");
  }

  @Test
  void everyBenchTakesTheServersUrlAndRefusesAHostAndPort() {
    assertEachRefuses(
        List.of("connections --tokens t.tsv --count 1", "logins --count 1"),
        "--server", "127.0.0.1:7070",
        "--server takes the server's URL, such as http://127.0.0.1:8080 (its TCP port is --tcp-port), not '127.0.0.1:7070'");
    // These speak TLS too.
    assertEachRefuses(
        List.of("messages --tokens t.tsv", "rooms --tokens t.tsv", "files --tokens t.tsv"),
        "--server", "127.0.0.1:7070",
        "--server takes the server's URL, such as http://127.0.0.1:8080 or https://127.0.0.1:8080 (its TCP port is --tcp-port),"
            + " not '127.0.0.1:7070'");
  }

  @Test
  void theBenchesThatReadMetricsTakeTheAdminListenersUrlAndRefuseAHostAndPort() {
    assertEachRefuses(
        List.of("connections --tokens t.tsv --count 1", "files --tokens t.tsv"),
        "--admin", "127.0.0.1:8081",
        "--admin takes the URL of the server's admin listener, such as http://127.0.0.1:8081, not '127.0.0.1:8081'");
  }

  /** Each bench, given {@code option value}, exits 1 with {@code message}. */
  private void assertEachRefuses(List<String> benches, String option, String value, String message) {
    for (String bench : benches) {
      List<String> args = new ArrayList<>(List.of("bench", option, value));
      args.addAll(1, List.of(bench.split(" ")));
      InProcessCli.Run run = bench().run(args.toArray(String[]::new));

      assertThat(run.exitCode()).as(bench).isEqualTo(1);
      assertThat(run.err()).as(bench).contains(message);
    }
  }
}
