package dev.parley.server.admin;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ByeReason;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.metrics.SecurityLog;
import dev.parley.server.testing.CapturedLog;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.Http.Reply;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUser;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The admin API on a real server: each action, what its target notices, and its refusal for everyone else. */
@ParleyServerTest
class AdminApiTest {
  private static Http http;
  private static TestServer server;
  private static TestUser root;

  @RegisterExtension final CapturedLog securityLog = new CapturedLog(SecurityLog.LOGGER_NAME);

  @BeforeAll
  static void makeAnAdmin(TestServer testServer, Http client, TestUsers users) {
    server = testServer;
    http = client;
    root = users.create("root");
    grantAdmin(server, "root");
  }

  /** The operator's offline command, on the data directory of the running server. */
  static void grantAdmin(TestServer server, String name) {
    try (OperatorAccounts accounts = server.operatorAccounts()) {
      accounts.setAdmin(name, true);
    }
  }

  private static final List<String[]> ADMIN_ROUTES = List.of(
      new String[] {"GET", "/api/v1/admin/users"},
      new String[] {"POST", "/api/v1/admin/users/root/reset-password"},
      new String[] {"POST", "/api/v1/admin/users/root/disable"},
      new String[] {"POST", "/api/v1/admin/users/root/enable"},
      new String[] {"POST", "/api/v1/admin/users/root/admin"},
      new String[] {"DELETE", "/api/v1/admin/users/root/admin"},
      new String[] {"DELETE", "/api/v1/admin/users/root"},
      new String[] {"POST", "/api/v1/admin/invites"},
      new String[] {"GET", "/api/v1/admin/invites"},
      new String[] {"DELETE", "/api/v1/admin/invites/1"});

  private static Reply call(String method, String path, String token) {
    return switch (method) {
      case "GET" -> http.get(path, token);
      case "DELETE" -> http.delete(path, token);
      default -> http.post(path, Map.of(), token);
    };
  }

  @Test
  void everyAdminActionIsRefusedToAUserWhoIsNotAnAdminAndChangesNothing(TestUsers users) {
    TestUser mallory = users.create("mallory");
    for (String[] route : ADMIN_ROUTES) {
      Reply reply = call(route[0], route[1], mallory.token());
      assertThat(reply.status()).as(route[0] + " " + route[1]).isEqualTo(403);
      assertThat(reply.errorCode()).as(route[0] + " " + route[1]).isEqualTo("forbidden");
      assertThat(call(route[0], route[1], null).status()).as("no token: " + route[1]).isEqualTo(401);
    }
    // root is still an admin, enabled, with their password: none of the refused actions ran.
    assertThat(http.get("/api/v1/admin/users", root.token()).status()).isEqualTo(200);
    assertThat(http.login("root", PASSWORD)).isNotBlank();
  }

  @Test
  void listsUsersWithCreatedLastSeenOnlineDisabledAndAdmin(TestUsers users) {
    TestUser 李 = users.create("李雷");
    try (FrameClient online = Transport.WEBSOCKET.connect(server, 李.token(), null)) {
      JsonNode list = http.get("/api/v1/admin/users?prefix=李", root.token()).body().get("users");
      assertThat(list).hasSize(1);
      JsonNode entry = list.get(0);
      assertThat(entry.get("username").asText()).isEqualTo("李雷");
      assertThat(entry.get("created").asLong()).isPositive();
      assertThat(entry.get("lastSeen").asLong()).isGreaterThanOrEqualTo(entry.get("created").asLong());
      assertThat(entry.get("online").asBoolean()).isTrue();
      assertThat(entry.get("disabled").asBoolean()).isFalse();
      assertThat(entry.get("admin").asBoolean()).isFalse();
    }
    JsonNode rootEntry = http.get("/api/v1/admin/users?prefix=root", root.token()).body().get("users").get(0);
    assertThat(rootEntry.get("admin").asBoolean()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aDisabledUsersLiveConnectionGetsByeAccountDisabledAndTheyCannotLogInUntilEnabled(Transport transport, TestUsers users) {
    TestUser dora = users.create("dora-" + transport);
    try (FrameClient live = transport.connect(server, dora.token(), null)) {
      assertThat(http.post("/api/v1/admin/users/" + dora.username() + "/disable", Map.of(), root.token()).status()).isEqualTo(204);

      assertThat(live.nextMatching(ServerFrame.Bye.class, bye -> true).reason()).isEqualTo(ByeReason.ACCOUNT_DISABLED);
      live.awaitClosed();
    }
    assertThat(http.get("/api/v1/users", dora.token()).status()).isEqualTo(401);
    Reply login = http.post("/api/v1/login", Map.of("username", dora.username(), "password", PASSWORD));
    assertThat(login.status()).isEqualTo(403);
    assertThat(login.errorCode()).isEqualTo("account_disabled");
    try (FrameClient again = transport.connect(server)) {
      again.send(new ClientFrame.Login("l", dora.username(), PASSWORD, null));
      assertThat(again.next(ServerFrame.Error.class).code()).isEqualTo(ErrorCode.ACCOUNT_DISABLED);
    }
    JsonNode entry = http.get("/api/v1/admin/users?prefix=" + dora.username(), root.token()).body().get("users").get(0);
    assertThat(entry.get("disabled").asBoolean()).isTrue();

    assertThat(http.post("/api/v1/admin/users/" + dora.username() + "/enable", Map.of(), root.token()).status()).isEqualTo(204);
    assertThat(http.login(dora.username(), PASSWORD)).isNotBlank();
    assertThat(securityLog.messages(Level.INFO))
        .contains("event=admin_action admin=root action=disable target=" + dora.username())
        .contains("event=admin_action admin=root action=enable target=" + dora.username());
  }

  @Test
  void aResetPasswordEndsEveryLoginAndMustBeReplacedAtTheNextLogin(TestUsers users) {
    TestUser bob = users.create("bob");
    try (FrameClient live = Transport.TCP.connect(server, bob.token(), null)) {
      Reply reset = http.post("/api/v1/admin/users/bob/reset-password", Map.of(), root.token());
      assertThat(reset.status()).isEqualTo(200);
      String temporary = reset.body().get("temporaryPassword").asText();
      assertThat(temporary).hasSizeGreaterThanOrEqualTo(16).isNotEqualTo(PASSWORD);

      assertThat(live.nextMatching(ServerFrame.Bye.class, bye -> true).reason()).isEqualTo(ByeReason.PASSWORD_CHANGED);
      assertThat(http.get("/api/v1/users", bob.token()).status()).isEqualTo(401);
      assertThat(http.post("/api/v1/login", Map.of("username", "bob", "password", PASSWORD)).errorCode()).isEqualTo("bad_credentials");

      Reply withTemporary = http.post("/api/v1/login", Map.of("username", "bob", "password", temporary));
      assertThat(withTemporary.status()).isEqualTo(403);
      assertThat(withTemporary.errorCode()).isEqualTo("password_change_required");
      assertThat(withTemporary.body().has("token")).isFalse();
      Reply sameAgain = http.post("/api/v1/login", Map.of("username", "bob", "password", temporary, "newPassword", temporary));
      assertThat(sameAgain.errorCode()).isEqualTo("weak_password");

      Reply replaced = http.post("/api/v1/login", Map.of("username", "bob", "password", temporary, "newPassword", "新的密码abc123"));
      assertThat(replaced.status()).isEqualTo(200);
      assertThat(replaced.body().get("token").asText()).isNotBlank();
    }
    assertThat(http.login("bob", "新的密码abc123")).isNotBlank();
    assertThat(http.post("/api/v1/login", Map.of("username", "bob", "password", "新的密码abc123", "newPassword", "x"))
        .errorCode()).isEqualTo("bad_request");
  }

  @Test
  void aDeletedUsersMessagesStayInTheOtherPersonsHistoryFromTheirNameMarkedDeleted(TestUsers users) {
    TestUser carol = users.create("carol");
    TestUser dave = users.create("dave");
    try (FrameClient carolLive = Transport.WEBSOCKET.connect(server, carol.token(), null)) {
      carolLive.sendMessage("m1", "dave", "再见 dave");
      assertThat(http.delete("/api/v1/admin/users/carol", root.token()).status()).isEqualTo(204);
      assertThat(carolLive.nextMatching(ServerFrame.Bye.class, bye -> true).reason()).isEqualTo(ByeReason.ACCOUNT_DELETED);
    }
    JsonNode history = http.get("/api/v1/messages?with=carol", dave.token()).body().get("messages");
    assertThat(history).hasSize(1);
    assertThat(history.get(0).get("from").asText()).isEqualTo("carol");
    assertThat(history.get(0).get("text").asText()).isEqualTo("再见 dave");
    assertThat(history.get(0).get("fromDeleted").asBoolean()).isTrue();
    try (FrameClient daveLive = Transport.TCP.connect(server, dave.token(), 0L)) {
      ServerFrame.Message replayed = daveLive.next(ServerFrame.Message.class);
      assertThat(replayed.from()).isEqualTo("carol");
      assertThat(replayed.fromDeleted()).isTrue();
      daveLive.send(new ClientFrame.Send("m2", "carol", "are you there?"));
      assertThat(daveLive.nextMatching(ServerFrame.Error.class, e -> "m2".equals(e.id())).code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    assertThat(http.get("/api/v1/users", carol.token()).status()).isEqualTo(401);
    assertThat(http.post("/api/v1/login", Map.of("username", "carol", "password", PASSWORD)).errorCode()).isEqualTo("bad_credentials");
    assertThat(http.post("/api/v1/register", Map.of("username", "Carol", "password", PASSWORD)).errorCode()).isEqualTo("username_taken");
    JsonNode everyone = http.get("/api/v1/users", dave.token()).body().get("users");
    assertThat(StreamSupport.stream(everyone.spliterator(), false).map(u -> u.get("username").asText())).doesNotContain("carol");
    assertThat(http.delete("/api/v1/admin/users/carol", root.token()).errorCode()).isEqualTo("not_found");
  }

  @Test
  void theAdminRoleIsGrantedAndRevokedOverTheApiButNeverByAnAdminToThemselves(TestUsers users) {
    TestUser erin = users.create("erin");
    assertThat(http.get("/api/v1/account", erin.token()).body().get("admin").asBoolean()).isFalse();
    assertThat(http.post("/api/v1/admin/users/erin/admin", Map.of(), root.token()).status()).isEqualTo(204);
    assertThat(http.get("/api/v1/account", erin.token()).body().get("admin").asBoolean()).isTrue();
    assertThat(http.get("/api/v1/admin/users", erin.token()).status()).isEqualTo(200);

    assertThat(http.delete("/api/v1/admin/users/erin/admin", erin.token()).errorCode()).isEqualTo("bad_request");
    assertThat(http.post("/api/v1/admin/users/erin/disable", Map.of(), erin.token()).errorCode()).isEqualTo("bad_request");
    assertThat(http.delete("/api/v1/admin/users/erin", erin.token()).errorCode()).isEqualTo("bad_request");

    assertThat(http.delete("/api/v1/admin/users/erin/admin", root.token()).status()).isEqualTo(204);
    assertThat(http.get("/api/v1/admin/users", erin.token()).errorCode()).isEqualTo("forbidden");
  }

  @Test
  void invitesAreCreatedListedAndRevokedAndTheCodeIsShownOnlyOnce() {
    Reply created = http.post("/api/v1/admin/invites", Map.of("uses", 3, "expires", "7d"), root.token());
    assertThat(created.status()).isEqualTo(201);
    String code = created.body().get("code").asText();
    long id = created.body().get("id").asLong();
    assertThat(code).matches("[A-Za-z0-9_-]{22}");
    assertThat(created.body().get("link").asText()).isEqualTo("http://127.0.0.1:" + server.httpPort() + "/#invite=" + code);
    assertThat(created.body().get("maxUses").asInt()).isEqualTo(3);
    assertThat(created.body().get("expires").asLong() - created.body().get("created").asLong()).isEqualTo(7L * 24 * 3600 * 1000);

    JsonNode listed = http.get("/api/v1/admin/invites", root.token()).body().get("invites");
    JsonNode mine = StreamSupport.stream(listed.spliterator(), false).filter(i -> i.get("id").asLong() == id).findFirst().orElseThrow();
    assertThat(mine.has("code")).isFalse();
    assertThat(mine.get("createdBy").asText()).isEqualTo("root");
    assertThat(mine.get("revoked").asBoolean()).isFalse();

    assertThat(http.delete("/api/v1/admin/invites/" + id, root.token()).status()).isEqualTo(204);
    assertThat(http.delete("/api/v1/admin/invites/999999", root.token()).errorCode()).isEqualTo("not_found");
    assertThat(http.post("/api/v1/admin/invites", Map.of("expires", "soon"), root.token()).errorCode()).isEqualTo("bad_request");
    assertThat(http.post("/api/v1/admin/invites", Map.of("uses", 0), root.token()).errorCode()).isEqualTo("bad_request");
    assertThat(securityLog.messages(Level.INFO)).contains("event=admin_action admin=root action=revoke_invite target=invite:" + id);
  }
}
