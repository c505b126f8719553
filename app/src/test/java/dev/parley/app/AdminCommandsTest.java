package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.LineClient;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestDatabase;
import dev.parley.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley admin}: bench users and tokens written straight into a data directory. */
@ParleyServerTest
class AdminCommandsTest {
  @TempDir Path home;

  private InProcessCli cli() {
    return new InProcessCli(home.resolve("cli"));
  }

  @Test
  void mintedTokensAuthenticateOnAServerOverTheDataDir() {
    Path dataDir = home.resolve("data");
    Path tokens = home.resolve("tokens.tsv");

    InProcessCli.Run created = cli().run("admin", "create-users", "--data-dir", dataDir.toString(), "--count", "5", "--prefix", "u");
    InProcessCli.Run minted =
        cli().run("admin", "mint-tokens", "--data-dir", dataDir.toString(), "--count", "5", "--prefix", "u", "--out", tokens.toString());

    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(created.out()).contains("created 5 users");
    assertThat(minted.exitCode()).as(minted.toString()).isZero();
    Map<String, String> users = BenchSetup.tokensByUser(tokens);
    assertThat(users.keySet()).containsExactly("u0", "u1", "u2", "u3", "u4");
    try (TestServer server = TestServer.startOn(dataDir, Map.of());
        LineClient client = LineClient.connect(server.tcpPort())) {
      ServerFrame.Welcome welcome = client.auth(users.get("u3"), null);
      assertThat(welcome.username()).isEqualTo("u3");
    }
  }

  @Test
  void migrateToPostgresMovesAnInstallationThatAServerOnPostgresThenServes() {
    Path dataDir = home.resolve("data");
    Path tokens = home.resolve("tokens.tsv");
    cli().run("admin", "create-users", "--data-dir", dataDir.toString(), "--count", "3", "--prefix", "用户");
    cli().run("admin", "mint-tokens", "--data-dir", dataDir.toString(), "--count", "3", "--prefix", "用户", "--out", tokens.toString());

    try (TestDatabase database = TestDatabase.create()) {
      InProcessCli.Run migrated =
          cli().run("admin", "migrate-to-postgres", "--from", dataDir.toString(), "--database", database.url());
      InProcessCli.Run again =
          cli().run("admin", "migrate-to-postgres", "--from", dataDir.toString(), "--database", database.url());

      assertThat(migrated.exitCode()).as(migrated.toString()).isZero();
      assertThat(migrated.out()).containsPattern("users +3 rows").containsPattern("tokens +3 rows").contains("every count matches");
      assertThat(again.exitCode()).isEqualTo(1);
      assertThat(again.err()).contains("is not empty");
      try (TestServer server = TestServer.startOn(dataDir, Map.of("database", database.url()));
          LineClient client = LineClient.connect(server.tcpPort())) {
        assertThat(client.auth(BenchSetup.tokensByUser(tokens).get("用户2"), null).username()).isEqualTo("用户2");
      }
    }
  }

  @Test
  void tokenFileIsReadableByItsOwnerOnly() throws Exception {
    Path dataDir = home.resolve("data");
    Path tokens = home.resolve("tokens.tsv");
    cli().run("admin", "create-users", "--data-dir", dataDir.toString(), "--count", "2");

    cli().run("admin", "mint-tokens", "--data-dir", dataDir.toString(), "--count", "2", "--out", tokens.toString());

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens))).isEqualTo("rw-------");
  }

  @Test
  void createUsersSkipsNamesThatExistAndWorksWhileTheServerRuns(TestServer server) {
    String dataDir = server.dataDir().toString();
    cli().run("admin", "create-users", "--data-dir", dataDir, "--count", "3", "--prefix", "b");

    InProcessCli.Run again = cli().run("admin", "create-users", "--data-dir", dataDir, "--count", "5", "--prefix", "b");

    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.out()).contains("created 2 users, skipped 3");
    try (LineClient client = LineClient.connect(server.tcpPort())) {
      assertThat(client.login("b4", CreateUsersCommand.DEFAULT_PASSWORD).username()).isEqualTo("b4");
    }
  }

  @Test
  void mintTokensNamesTheMissingUser() {
    Path dataDir = home.resolve("data");
    cli().run("admin", "create-users", "--data-dir", dataDir.toString(), "--count", "2");

    InProcessCli.Run minted =
        cli().run("admin", "mint-tokens", "--data-dir", dataDir.toString(), "--count", "3", "--out", home.resolve("t").toString());

    assertThat(minted.exitCode()).isEqualTo(1);
    assertThat(minted.err()).contains("no user u2");
  }
}
