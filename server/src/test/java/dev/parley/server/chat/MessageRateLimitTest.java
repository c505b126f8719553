package dev.parley.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.TestClock;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code messages-per-second} and {@code message-burst}: one bucket per user over every transport;
 * a refused send is not stored, says when to retry, and can be retried with the same id.
 */
class MessageRateLimitTest {
  private static final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  private static TestServer server;
  private static Http http;
  private static TestUsers users;
  private static int pairs;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(Map.of("messages-per-second", 2, "message-burst", 3), clock);
    http = new Http(server.http());
    users = new TestUsers(server);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private record Pair(String alice, String aliceToken, String bob) {}

  private static Pair newPair() {
    int n = ++pairs;
    String bob = users.create("bob" + n).username();
    return new Pair("alice" + n, users.create("alice" + n).token(), bob);
  }

  private static Http.Reply postMessage(Pair pair, String id) {
    return http.post("/api/v1/messages", Map.of("id", id, "to", pair.bob(), "text", id), pair.aliceToken());
  }

  private static long historySize(Pair pair) {
    return http.get("/api/v1/messages?with=" + pair.bob(), pair.aliceToken()).body().get("messages").size();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aSendPastTheBurstIsRefusedUntilTheBucketRefillsAndItsIdCanBeRetried(Transport transport) {
    Pair pair = newPair();
    try (FrameClient alice = transport.connect(server, pair.aliceToken(), null)) {
      for (int i = 1; i <= 3; i++) {
        alice.sendMessage("m" + i, pair.bob(), "m" + i);
      }

      alice.send(new ClientFrame.Send("m4", pair.bob(), "m4"));
      ServerFrame.Error refused = alice.next(ServerFrame.Error.class);
      assertThat(refused.id()).isEqualTo("m4");
      assertThat(refused.code()).isEqualTo(ErrorCode.RATE_LIMITED);
      assertThat(refused.retryAfter()).isEqualTo(1L);
      assertThat(historySize(pair)).isEqualTo(3);

      clock.advance(Duration.ofMillis(500));
      ServerFrame.Ack retried = alice.sendMessage("m4", pair.bob(), "m4");
      assertThat(retried.seq()).isPositive();
      assertThat(historySize(pair)).isEqualTo(4);
    }
  }

  @Test
  void httpSendsShareTheBucketOfTheUsersConnections() {
    Pair pair = newPair();
    try (FrameClient tcp = Transport.TCP.connect(server, pair.aliceToken(), null);
        FrameClient webSocket = Transport.WEBSOCKET.connect(server, pair.aliceToken(), null)) {
      tcp.sendMessage("m1", pair.bob(), "m1");
      webSocket.sendMessage("m2", pair.bob(), "m2");
      assertThat(postMessage(pair, "m3").status()).isEqualTo(201);

      Http.Reply refused = postMessage(pair, "m4");
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.errorCode()).isEqualTo("rate_limited");
      assertThat(refused.raw().headers().firstValue("Retry-After")).hasValue("1");
      assertThat(historySize(pair)).isEqualTo(3);

      clock.advance(Duration.ofMillis(500));
      assertThat(postMessage(pair, "m4").status()).isEqualTo(201);
      assertThat(historySize(pair)).isEqualTo(4);
    }
  }

  @Test
  void anotherUserIsNotSlowedByAFlooder() {
    Pair flooder = newPair();
    Pair other = newPair();
    for (int i = 1; i <= 3; i++) {
      postMessage(flooder, "m" + i);
    }
    assertThat(postMessage(flooder, "m4").status()).isEqualTo(429);

    assertThat(postMessage(other, "m1").status()).isEqualTo(201);
  }
}
