package dev.parley.server.account;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ByeReason;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.Http.Reply;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.ServerSetting;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.Transport;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

@ParleyServerTest
@ServerSetting(key = "login-failures-per-username", value = "3")
@ServerSetting(key = "login-failures-per-address", value = "1000")
class AccountsTest {
  private static Http http;

  @BeforeAll
  static void keepTheClient(Http client) {
    http = client;
  }

  private static Reply register(String username, String password) {
    return http.post("/api/v1/register", Map.of("username", username, "password", password));
  }

  @Test
  void registersChineseAndLatinNamesAndReturnsTheNormalizedName() {
    assertThat(register("李小龙", "功夫123abc").status()).isEqualTo(201);
    Reply decomposed = register("Ame\u0301lie", PASSWORD);
    assertThat(decomposed.status()).isEqualTo(201);
    assertThat(decomposed.body().get("username").asText()).isEqualTo("Amélie");
    assertThat(http.login("李小龙", "功夫123abc")).isNotBlank();
    assertThat(http.login("amélie", PASSWORD)).isNotBlank();
  }

  @Test
  void usernamesAreUniqueIgnoringCase() {
    assertThat(register("Carol", PASSWORD).status()).isEqualTo(201);
    Reply taken = register("CAROL", PASSWORD);
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.errorCode()).isEqualTo("username_taken");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "x                                  | a username has 2 to 32 characters",
        "abcdefghijklmnopqrstuvwxyz1234567  | a username has 2 to 32 characters",
        "has space                          | a username has only letters, digits, '_', '-' and '.'",
        "semi;colon                         | a username has only letters, digits, '_', '-' and '.'",
        "smile😀                            | a username has only letters, digits, '_', '-' and '.'",
        "../etc                             | a username has only letters, digits, '_', '-' and '.'",
      })
  void invalidUsernamesAreRefused(String username, String message) {
    Reply reply = register(username, PASSWORD);
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.errorCode()).isEqualTo("invalid_username");
    assertThat(reply.body().path("error").path("message").asText()).isEqualTo(message);
  }

  @ParameterizedTest
  @CsvSource({
    "dave1, short1, a password has at least 8 characters",
    "dave2, onlyletters, a password has at least one digit",
    "dave3, 1234567890, a password has at least one letter",
    "dave44444, Dave44444, a password must not be the username",
  })
  void weakPasswordsAreRefusedWithTheRuleTheyBreak(String username, String password, String message) {
    Reply reply = register(username, password);
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.errorCode()).isEqualTo("weak_password");
    assertThat(reply.body().path("error").path("message").asText()).isEqualTo(message);
  }

  @Test
  void aPasswordOverTheMaximumIsWeak() {
    Reply reply = register("erin", "a1".repeat(65));
    assertThat(reply.errorCode()).isEqualTo("weak_password");
    assertThat(reply.body().path("error").path("message").asText()).isEqualTo("a password has at most 128 characters");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "not json",
        "[]",
        "{\"username\":\"frank\"}",
        "{\"username\":5,\"password\":\"" + PASSWORD + "\"}",
      })
  void malformedBodiesAreBadRequests(String body) {
    Reply reply = http.postRaw("/api/v1/register", body);
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.errorCode()).isEqualTo("bad_request");
  }

  @Test
  void wrongPasswordAndUnknownUserAreTheSameBadCredentials() {
    register("grace", PASSWORD);
    Reply wrong = http.post("/api/v1/login", Map.of("username", "grace", "password", "wrong1234"));
    Reply unknown = http.post("/api/v1/login", Map.of("username", "nobody", "password", "wrong1234"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.body()).isEqualTo(unknown.body());
    assertThat(wrong.errorCode()).isEqualTo("bad_credentials");
  }

  @Test
  void repeatedFailuresForOneUsernameAreRateLimitedEvenWithTheRightPassword() {
    register("heidi", PASSWORD);
    for (int i = 0; i < 3; i++) {
      assertThat(http.post("/api/v1/login", Map.of("username", "heidi", "password", "guess" + i + "xx")).status())
          .isEqualTo(401);
    }
    Reply limited = http.post("/api/v1/login", Map.of("username", "HEIDI", "password", PASSWORD));
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.errorCode()).isEqualTo("rate_limited");
    assertThat(Long.parseLong(limited.raw().headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 300L);
    // Other users are not affected.
    register("ivan", PASSWORD);
    assertThat(http.login("ivan", PASSWORD)).isNotBlank();
  }

  @Test
  @ServerSetting(key = "login-failures-per-address", value = "2")
  void failuresFromOneAddressAreRateLimitedAcrossUsernames(Http strict) {
    for (String name : List.of("u1", "u2")) {
      assertThat(strict.post("/api/v1/login", Map.of("username", name, "password", PASSWORD)).status()).isEqualTo(401);
    }
    Reply limited = strict.post("/api/v1/login", Map.of("username", "u3", "password", PASSWORD));
    assertThat(limited.status()).isEqualTo(429);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void loginFramesAreRateLimitedWithRetryAfterInTheErrorFrame(Transport transport, TestServer server) {
    String name = "judy" + transport.ordinal();
    register(name, PASSWORD);
    try (FrameClient client = transport.connect(server)) {
      for (int i = 0; i < 3; i++) {
        client.send(new ClientFrame.Login("l" + i, name, "wrong" + i + "pass", null));
        assertThat(client.next(ServerFrame.Error.class).code()).isEqualTo(ErrorCode.BAD_CREDENTIALS);
      }
      client.send(new ClientFrame.Login("l", name, PASSWORD, null));
      ServerFrame.Error error = client.next(ServerFrame.Error.class);
      assertThat(error.code()).isEqualTo(ErrorCode.RATE_LIMITED);
      assertThat(error.retryAfter()).isBetween(1L, 300L);
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void registerFrameRegisters(Transport transport, TestServer server) {
    String name = "kate" + transport.ordinal();
    try (FrameClient client = transport.connect(server)) {
      client.send(new ClientFrame.Register("r", name, PASSWORD));
      assertThat(client.next()).isEqualTo(new ServerFrame.Registered("r", name));
      client.send(new ClientFrame.Register("r2", name.toUpperCase(), PASSWORD));
      assertThat(client.next(ServerFrame.Error.class).code()).isEqualTo(ErrorCode.USERNAME_TAKEN);
    }
  }

  @Test
  void logoutKillsTheTokenAtOnceAndClosesThatLoginsConnectionsOnly(TestServer server) {
    register("leo", PASSWORD);
    String token = http.login("leo", PASSWORD);
    String otherDevice = http.login("leo", PASSWORD);
    try (FrameClient tcp = Transport.TCP.connect(server, token, null);
        FrameClient ws = Transport.WEBSOCKET.connect(server, token, null);
        FrameClient other = Transport.TCP.connect(server, otherDevice, null)) {
      assertThat(http.post("/api/v1/logout", Map.of(), token).status()).isEqualTo(204);

      assertThat(http.get("/api/v1/users", token).status()).isEqualTo(401);
      for (FrameClient client : List.of(tcp, ws)) {
        assertThat(client.next(ServerFrame.Bye.class).reason()).isEqualTo(ByeReason.TOKEN_REVOKED);
        client.awaitClosed();
      }
      other.send(new ClientFrame.Ping("still here"));
      assertThat(other.next()).isEqualTo(new ServerFrame.Pong("still here"));
      assertThat(http.get("/api/v1/users", otherDevice).status()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void logoutFrameSaysByeWithItsIdThenClosesAndTheTokenIsDead(Transport transport, TestServer server) {
    String name = "mia" + transport.ordinal();
    register(name, PASSWORD);
    String token = http.login(name, PASSWORD);
    try (FrameClient client = transport.connect(server, token, null);
        FrameClient sameLogin = transport.connect(server, token, null)) {
      client.send(new ClientFrame.Logout("bye-now"));
      assertThat(client.next()).isEqualTo(new ServerFrame.Bye("bye-now", ByeReason.LOGOUT));
      client.awaitClosed();
      assertThat(sameLogin.next(ServerFrame.Bye.class).reason()).isEqualTo(ByeReason.TOKEN_REVOKED);
      sameLogin.awaitClosed();
    }
    assertThat(http.get("/api/v1/users", token).status()).isEqualTo(401);
  }

  @Test
  void webSocketUpgradeWithABadTokenIs401(TestServer server) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
      socket.getOutputStream().write(("GET /api/v1/ws?token=forged HTTP/1.1\r\nHost: localhost\r\n"
              + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
              + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(response).startsWith("HTTP/1.1 401 Unauthorized").contains("\"code\":\"unauthorized\"");
    }
  }

  @Test
  void passwordsAreStoredAsArgon2idAndTokensOnlyAsHashes(TestServer server) throws Exception {
    register("nina", PASSWORD);
    String token = http.login("nina", PASSWORD);
    List<String> hashes = new ArrayList<>();
    List<String> tokenHashes = new ArrayList<>();
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + server.dataDir().resolve("parley.db"));
        Statement statement = db.createStatement()) {
      try (ResultSet rows = statement.executeQuery("SELECT password_hash FROM users")) {
        while (rows.next()) {
          hashes.add(rows.getString(1));
        }
      }
      try (ResultSet rows = statement.executeQuery("SELECT token_hash FROM tokens")) {
        while (rows.next()) {
          tokenHashes.add(rows.getString(1));
        }
      }
    }
    assertThat(hashes).isNotEmpty().allSatisfy(hash -> assertThat(hash).startsWith("$argon2id$v=19$"));
    assertThat(hashes).noneMatch(hash -> hash.contains(PASSWORD));
    assertThat(tokenHashes).contains(Tokens.hash(token)).doesNotContain(token);
  }
}
