package dev.parley.app;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.Http;
import dev.parley.server.testing.Http.Reply;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.ServerSetting;
import dev.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parley admin grant-admin | revoke-admin | invite}: the operator's offline commands on the
 * data directory of a running invite-only server, as an admin starts one.
 */
@ParleyServerTest
@ServerSetting(key = "registration", value = "invite")
class AdminAccountCommandsTest {
  @TempDir Path home;

  private InProcessCli.Run admin(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "admin";
    System.arraycopy(args, 0, all, 1, args.length);
    return new InProcessCli(home.resolve("cli")).run(all);
  }

  @Test
  void theFirstAdminRegistersWithAnOfflineInviteAndIsGrantedTheRoleOffline(TestServer server, Http http) {
    String dataDir = server.dataDir().toString();
    InProcessCli.Run invited = admin("invite", "--data-dir", dataDir, "--uses", "2", "--expires", "7d");
    assertThat(invited.exitCode()).as(invited.toString()).isZero();
    String code = invited.out().lines().findFirst().orElseThrow();
    assertThat(code).matches("[A-Za-z0-9_-]{22}");
    assertThat(invited.out()).contains("#invite=" + code);

    assertThat(http.post("/api/v1/register", Map.of("username", "管理员", "password", PASSWORD, "invite", code)).status()).isEqualTo(201);
    String token = http.login("管理员", PASSWORD);
    assertThat(http.get("/api/v1/admin/users", token).errorCode()).isEqualTo("forbidden");

    InProcessCli.Run granted = admin("grant-admin", "--data-dir", dataDir, "管理员");
    assertThat(granted.exitCode()).as(granted.toString()).isZero();
    assertThat(granted.out()).contains("granted the admin role to 管理员");
    Reply users = http.get("/api/v1/admin/users", token);
    assertThat(users.status()).isEqualTo(200);
    assertThat(users.body().get("users").get(0).get("admin").asBoolean()).isTrue();
    assertThat(http.get("/api/v1/admin/invites", token).body().get("invites").get(0).get("uses").asInt()).isEqualTo(1);

    InProcessCli.Run revoked = admin("revoke-admin", "--data-dir", dataDir, "管理员");
    assertThat(revoked.exitCode()).as(revoked.toString()).isZero();
    assertThat(http.get("/api/v1/admin/users", token).errorCode()).isEqualTo("forbidden");
  }

  @Test
  void parleyRegisterTakesAnInviteCode(TestServer server) {
    String code = admin("invite", "--data-dir", server.dataDir().toString()).out().lines().findFirst().orElseThrow();
    InProcessCli cli = new InProcessCli(home.resolve("newcomer")).withVariable("PARLEY_SERVER", server.http().toString());

    InProcessCli.Run without = cli.runWithStdin(PASSWORD + "\n", "register", "newcomer");
    assertThat(without.exitCode()).isEqualTo(1);
    assertThat(without.err()).contains("registration on this server needs an invite code");

    InProcessCli.Run with = cli.runWithStdin(PASSWORD + "\n", "register", "--invite", code, "newcomer");
    assertThat(with.exitCode()).as(with.toString()).isZero();
    assertThat(with.out()).isEqualTo("registered newcomer\n");
  }

  @Test
  void grantingAnUnknownUserOrABadLifetimeFailsWithOneLine(TestServer server) {
    InProcessCli.Run unknown = admin("grant-admin", "--data-dir", server.dataDir().toString(), "nobody");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("no user nobody");
    InProcessCli.Run badLifetime = admin("invite", "--data-dir", server.dataDir().toString(), "--expires", "soon");
    assertThat(badLifetime.exitCode()).isEqualTo(1);
    assertThat(badLifetime.err()).contains("--expires must be a count and a unit: 30m, 12h or 7d");
  }
}
