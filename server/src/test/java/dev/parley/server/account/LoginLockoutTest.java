package dev.parley.server.account;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.Http.Reply;
import dev.parley.server.testing.LineClient;
import dev.parley.server.testing.TestClock;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Failed logins must not lock an owner out: throttling is per (username, client address), and the
 * client address is the socket's peer unless that peer is a trusted proxy. The attacker's
 * connections are bound to 127.0.0.2, which is as much loopback as 127.0.0.1 on Linux.
 */
class LoginLockoutTest {
  private static final Map<String, String> ALICE = Map.of("username", "alice", "password", PASSWORD);

  @Test
  void anAttackerFailingTwentyTimesDoesNotLockAliceOutAndBacksOffEverLonger() throws Exception {
    TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (TestServer server = TestServer.start(Map.of(), clock);
        LineClient attacker = LineClient.connect(server.tcpPort(), InetAddress.getByName("127.0.0.2"))) {
      Http alice = new Http(server.http());
      assertThat(alice.post("/api/v1/register", ALICE).status()).isEqualTo(201);

      List<Long> retryAfters = new ArrayList<>();
      for (int failures = 0; failures < 20; ) {
        attacker.send(new ClientFrame.Login("l", "alice", "guess" + failures + "xyz", null));
        ServerFrame.Error error = attacker.next(ServerFrame.Error.class);
        if (error.code() == ErrorCode.BAD_CREDENTIALS) {
          failures++;
        } else {
          assertThat(error.code()).isEqualTo(ErrorCode.RATE_LIMITED);
          retryAfters.add(error.retryAfter());
          clock.advance(Duration.ofSeconds(error.retryAfter()));
        }
      }

      assertThat(alice.post("/api/v1/login", ALICE).status()).as("alice from 127.0.0.1, at once").isEqualTo(200);
      attacker.send(new ClientFrame.Login("right", "alice", PASSWORD, null));
      ServerFrame.Error stillThrottled = attacker.next(ServerFrame.Error.class);
      assertThat(stillThrottled.code()).isEqualTo(ErrorCode.RATE_LIMITED);
      assertThat(retryAfters).hasSize(10).isSorted();
      assertThat(retryAfters.getFirst()).isEqualTo(5);
      assertThat(retryAfters.getLast()).isEqualTo(900);
      assertThat(stillThrottled.retryAfter()).isEqualTo(900);
    }
  }

  @Test
  void behindATrustedProxyTheForwardedClientIsThrottledAndNotTheProxy() {
    try (TestServer server = TestServer.start(Map.of("trusted-proxies", "10.9.0.0/16, 127.0.0.1", "login-failures-per-username", 2))) {
      Http proxy = new Http(server.http());
      proxy.post("/api/v1/register", ALICE);
      Map<String, String> attacker = Map.of("X-Forwarded-For", "203.0.113.7");
      for (int i = 0; i < 2; i++) {
        assertThat(login(proxy, "wrong" + i + "pass", attacker).status()).isEqualTo(401);
      }

      assertThat(login(proxy, PASSWORD, attacker).status()).isEqualTo(429);
      assertThat(login(proxy, PASSWORD, Map.of("Forwarded", "for=203.0.113.7;proto=http")).status()).isEqualTo(429);
      assertThat(login(proxy, PASSWORD, Map.of("X-Forwarded-For", "203.0.113.7, 10.9.1.1")).status())
          .as("the rightmost untrusted hop is the client")
          .isEqualTo(429);
      assertThat(login(proxy, PASSWORD, Map.of("X-Forwarded-For", "203.0.113.7, 198.51.100.8")).status())
          .as("a hop the client wrote itself is not believed")
          .isEqualTo(200);
      assertThat(login(proxy, PASSWORD, Map.of("Forwarded", "for=\"[2001:db8::1]:4711\"")).status()).isEqualTo(200);
      assertThat(login(proxy, PASSWORD, Map.of()).status()).as("the proxy's own address has not failed").isEqualTo(200);
      try (WsClient throttled = WsClient.connect(server.webSocket(), attacker);
          WsClient other = WsClient.connect(server.webSocket(), Map.of("X-Forwarded-For", "198.51.100.9"))) {
        throttled.send(new ClientFrame.Login("l", "alice", PASSWORD, null));
        assertThat(throttled.next(ServerFrame.Error.class).code())
            .as("a WebSocket's address comes from its upgrade request")
            .isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(other.login("alice", PASSWORD).username()).isEqualTo("alice");
      }
    }
  }

  @Test
  void withoutTrustedProxiesForwardingHeadersAreIgnored() throws Exception {
    try (TestServer server = TestServer.start(Map.of("login-failures-per-username", 2))) {
      Http local = new Http(server.http());
      local.post("/api/v1/register", ALICE);
      for (int i = 0; i < 2; i++) {
        assertThat(login(local, "wrong" + i + "pass", Map.of("X-Forwarded-For", "203.0.113.7")).status()).isEqualTo(401);
      }

      assertThat(login(local, PASSWORD, Map.of("X-Forwarded-For", "198.51.100.8")).status()).isEqualTo(429);
      assertThat(login(local, PASSWORD, Map.of("Forwarded", "for=198.51.100.9")).status()).isEqualTo(429);
      assertThat(login(new Http(server.http(), InetAddress.getByName("127.0.0.2")), PASSWORD, Map.of()).status())
          .isEqualTo(200);
    }
  }

  private static Reply login(Http http, String password, Map<String, String> headers) {
    return http.post("/api/v1/login", Map.of("username", "alice", "password", password), null, headers);
  }
}
