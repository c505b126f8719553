package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley bench files|logins} against a real server, with users made by {@code parley admin}. */
class BenchCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;

  private InProcessCli cli() {
    return new InProcessCli(home.resolve("cli"));
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
          cli().run("bench", "files", "--http", "127.0.0.1:" + server.httpPort(), "--tokens", tokensFor(server).toString(),
              "--size", "8MiB", "--temp-dir", temp.toString(), "--json");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      JsonNode result = JSON.readTree(run.out());
      assertThat(result.get("sizeBytes").asLong()).isEqualTo(8L << 20);
      assertThat(result.get("downloadedBytes").asLong()).isEqualTo(8L << 20);
      assertThat(result.get("hashMatches").asBoolean()).isTrue();
      for (String transfer : new String[] {"rawLoopback", "upload", "download"}) {
        assertThat(result.get(transfer).get("megabytesPerSecond").asDouble()).as(transfer).isPositive();
      }
      assertThat(result.get("heapMiB").get("afterDownload").get("usedMiB").asDouble()).isPositive();
      try (Stream<Path> left = Files.list(temp)) {
        assertThat(left).isEmpty();
      }
    }
  }
}
