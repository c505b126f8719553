package dev.parley.client;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.protocol.ServerFrame.UserEntry;
import dev.parley.server.testing.OwnServer;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.ServerSetting;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@ParleyServerTest
@OwnServer
@ServerSetting(key = "login-failures-per-username", value = "3")
class ParleyClientTest {
  private final TestServer server;
  private final ParleyClient client;

  ParleyClientTest(TestServer server) {
    this.server = server;
    client = new ParleyClient(server.http());
  }

  @AfterEach
  void stop() {
    client.close();
  }

  @Test
  void registerReturnsTheStoredUsername() {
    assertThat(client.register("alice", PASSWORD)).isEqualTo("alice");
    assertThat(client.register("张三", PASSWORD)).isEqualTo("张三");
  }

  @Test
  void registeringATakenNameFailsWithUsernameTaken() {
    client.register("alice", PASSWORD);

    assertThatThrownBy(() -> client.register("ALICE", PASSWORD))
        .asInstanceOf(type(ParleyClientException.class))
        .satisfies(e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.USERNAME_TAKEN);
          assertThat(e.httpStatus()).isEqualTo(409);
          assertThat(e.getMessage()).isNotBlank();
        });
  }

  @Test
  void weakPasswordIsRefusedWithTheRuleItBreaks() {
    assertThatThrownBy(() -> client.register("alice", "short1"))
        .asInstanceOf(type(ParleyClientException.class))
        .satisfies(e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.WEAK_PASSWORD);
          assertThat(e.httpStatus()).isEqualTo(400);
          assertThat(e.getMessage()).contains("at least 8 characters");
        });
  }

  @Test
  void loginReturnsATokenThatAuthenticatesRequests() {
    client.register("alice", PASSWORD);

    LoggedIn login = client.login("Alice", PASSWORD);

    assertThat(login.username()).isEqualTo("alice");
    assertThat(login.token()).isNotBlank();
    assertThat(login.toString()).doesNotContain(login.token());
    assertThat(client.users(login.token(), null, null, null)).containsExactly(new UserEntry("alice", false));
  }

  @Test
  void wrongPasswordFailsWithBadCredentials() {
    client.register("alice", PASSWORD);

    assertThatThrownBy(() -> client.login("alice", "wrong-password1"))
        .asInstanceOf(type(ParleyClientException.class))
        .satisfies(e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.BAD_CREDENTIALS);
          assertThat(e.httpStatus()).isEqualTo(401);
          assertThat(e.retryAfterSeconds()).isNull();
        });
  }

  @Test
  void repeatedFailedLoginsAreRateLimitedWithRetryAfter() {
    client.register("alice", PASSWORD);
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> client.login("alice", "wrong-password1"))
          .asInstanceOf(type(ParleyClientException.class))
          .extracting(ParleyClientException::code)
          .isEqualTo(ErrorCode.BAD_CREDENTIALS);
    }

    assertThatThrownBy(() -> client.login("alice", PASSWORD))
        .asInstanceOf(type(ParleyClientException.class))
        .satisfies(e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
          assertThat(e.httpStatus()).isEqualTo(429);
          assertThat(e.retryAfterSeconds()).isPositive();
        });
  }

  @Test
  void afterLogoutTheTokenIsUnauthorized() {
    client.register("alice", PASSWORD);
    String token = client.login("alice", PASSWORD).token();

    client.logout(token);

    assertThatThrownBy(() -> client.users(token, null, null, null))
        .asInstanceOf(type(ParleyClientException.class))
        .satisfies(e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
          assertThat(e.httpStatus()).isEqualTo(401);
        });
  }

  @Test
  void usersListsEveryoneWithOnlineStateAndFilters() {
    for (String name : List.of("bob", "alice", "张三", "anna")) {
      client.register(name, PASSWORD);
    }
    String token = client.login("alice", PASSWORD).token();
    String bobToken = client.login("bob", PASSWORD).token();

    try (WsClient bob = WsClient.connect(server.webSocket(), Map.of("Authorization", "Bearer " + bobToken))) {
      bob.next(ServerFrame.Welcome.class);

      assertThat(client.users(token, null, null, null))
          .containsExactly(
              new UserEntry("alice", false),
              new UserEntry("anna", false),
              new UserEntry("bob", true),
              new UserEntry("张三", false));
      assertThat(client.users(token, true, null, null)).containsExactly(new UserEntry("bob", true));
      assertThat(client.users(token, false, "A", 1)).containsExactly(new UserEntry("alice", false));
      assertThat(client.users(token, null, "张", null)).containsExactly(new UserEntry("张三", false));
    }
  }

  @Test
  void messagesPagesBackwardsOldestFirstWithEncodedNames() {
    client.register("alice", PASSWORD);
    client.register("张三", PASSWORD);
    String token = client.login("alice", PASSWORD).token();
    try (ParleyConnection alice = client.connect(token, Long.MAX_VALUE, frame -> {})) {
      for (int i = 1; i <= 5; i++) {
        alice.sendMessage("张三", "消息 " + i).join();
      }
    }

    List<ServerFrame.Message> newest = client.messages(token, "张三", null, 2);
    List<ServerFrame.Message> older = client.messages(token, "张三", newest.getFirst().seq(), 2);

    assertThat(newest).extracting(ServerFrame.Message::text).containsExactly("消息 4", "消息 5");
    assertThat(older).extracting(ServerFrame.Message::text).containsExactly("消息 2", "消息 3");
    assertThat(newest.getFirst()).satisfies(m -> {
      assertThat(m.from()).isEqualTo("alice");
      assertThat(m.to()).isEqualTo("张三");
      assertThat(m.ts()).isPositive();
    });
  }

  @Test
  void messagesWithAnUnknownUserFailsWithNotFound() {
    client.register("alice", PASSWORD);
    String token = client.login("alice", PASSWORD).token();

    assertThatThrownBy(() -> client.messages(token, "nobody", null, null))
        .asInstanceOf(type(ParleyClientException.class))
        .satisfies(e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
          assertThat(e.httpStatus()).isEqualTo(404);
        });
  }

  @Test
  void aServerBehindAPathPrefixIsAddressedUnderIt() {
    assertThat(new ParleyClient(URI.create("https://example.org/chat")).base())
        .isEqualTo(URI.create("https://example.org/chat/"));
    assertThat(ApiAddresses.webSocket(URI.create("https://example.org/chat/"), 7L))
        .isEqualTo(URI.create("wss://example.org/chat/api/v1/ws?since=7"));
    assertThatThrownBy(() -> new ParleyClient(URI.create("ftp://example.org")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anUnreachableServerThrowsUncheckedIoExceptionNamingIt() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + closedPort);
    try (ParleyClient unreachable = new ParleyClient(nowhere)) {
      assertThatThrownBy(() -> unreachable.login("alice", PASSWORD))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageStartingWith("cannot reach http://127.0.0.1:" + closedPort + "/api/v1/login: ");
    }
  }
}
