package dev.parley.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.LineClient;
import dev.parley.server.testing.TestClock;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Tus;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The security log ({@code parley.security}) of a real server: what an admin sees of an attack, and no secret. */
class SecurityLogTest {
  private static final String PASSWORD = TestUsers.PASSWORD;
  private static final String GUESS = "hunter2guess";

  private final Logger securityLogger = (Logger) LoggerFactory.getLogger(SecurityLog.LOGGER_NAME);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  private Level levelBefore;

  @BeforeEach
  void captureTheSecurityLog() {
    levelBefore = securityLogger.getLevel();
    securityLogger.setLevel(Level.INFO);
    logged.start();
    securityLogger.addAppender(logged);
  }

  @AfterEach
  void releaseTheLog() {
    securityLogger.detachAppender(logged);
    securityLogger.setLevel(levelBefore);
  }

  @Test
  void logsRegistrationsLoginsAndAGuessingBurstAsAFewSummarisedLinesWithoutSecrets() throws Exception {
    try (TestServer server =
            TestServer.start(Map.of("login-failures-per-username", 2, "registrations-per-address-per-hour", 1), clock);
        LineClient attacker = LineClient.connect(server.tcpPort(), InetAddress.getByName("127.0.0.2"))) {
      Http http = new Http(server.http());
      String token = http.registerAndLogin("alice", PASSWORD);
      assertThat(http.post("/api/v1/register", Map.of("username", "bob", "password", PASSWORD)).status()).isEqualTo(429);
      for (int i = 0; i < 30; i++) {
        attacker.send(new ClientFrame.Login("l" + i, i % 2 == 0 ? "alice" : "nobody-" + GUESS, GUESS + i, null));
        attacker.next(ServerFrame.Error.class);
      }
      clock.advance(SecurityLog.SUMMARY_INTERVAL);
      attacker.send(new ClientFrame.Login("late", "alice", GUESS, null));
      assertThat(attacker.next(ServerFrame.Error.class).code()).isEqualTo(ErrorCode.BAD_CREDENTIALS);
      attacker.send(new ClientFrame.Login("later", "alice", GUESS, null));
      assertThat(attacker.next(ServerFrame.Error.class).code()).isEqualTo(ErrorCode.RATE_LIMITED);

      assertThat(lines())
          .containsExactly(
              "event=registered address=127.0.0.1 user=alice",
              "event=login_succeeded address=127.0.0.1 user=alice",
              "event=registration_refused address=127.0.0.1 reason=rate_limited retry_after=3600",
              "event=login_failed address=127.0.0.2 user=alice backoff=0",
              "event=login_throttled address=127.0.0.2 retry_after=5",
              "event=login_failed address=127.0.0.2 user=alice backoff=10 repeated=3",
              "event=login_throttled address=127.0.0.2 retry_after=10 repeated=25");
      assertThat(lines()).noneMatch(line -> line.contains(PASSWORD) || line.contains(GUESS) || line.contains(token));
    }
  }

  @Test
  void connectionsRefusedAtTheCapAreLoggedOncePerAddressAndIntervalThenCounted() {
    try (TestServer server = TestServer.start(Map.of("max-connections", 1), clock);
        LineClient held = LineClient.connect(server.tcpPort())) {
      held.send(new ClientFrame.Ping("p"));
      assertThat(held.next()).isEqualTo(new ServerFrame.Pong("p"));
      for (int i = 0; i < 5; i++) {
        try (LineClient refused = LineClient.connect(server.tcpPort())) {
          assertThat(refused.next(ServerFrame.Error.class).code()).isEqualTo(ErrorCode.SERVER_FULL);
        }
      }
      clock.advance(SecurityLog.SUMMARY_INTERVAL);
      try (LineClient refused = LineClient.connect(server.tcpPort())) {
        assertThat(refused.next(ServerFrame.Error.class).code()).isEqualTo(ErrorCode.SERVER_FULL);
      }

      assertThat(lines())
          .containsExactly(
              "event=connection_refused address=127.0.0.1 reason=server_full transport=tcp",
              "event=connection_refused address=127.0.0.1 reason=server_full transport=tcp repeated=4");
    }
  }

  @Test
  void messageRateAndQuotaRefusalsAreLoggedByUserOncePerIntervalThenCounted() throws Exception {
    try (TestServer server =
            TestServer.start(
                Map.of("messages-per-second", 1, "message-burst", 1, "max-storage-bytes-per-user", 100), clock);
        LineClient flood = LineClient.connect(server.tcpPort())) {
      TestUsers users = new TestUsers(server);
      String token = users.create("mallory").token();
      users.create("bob");
      flood.auth(token, null);
      flood.send(new ClientFrame.Send("m0", "bob", "hello"));
      assertThat(flood.next(ServerFrame.Ack.class).id()).isEqualTo("m0");
      for (int i = 1; i <= 3; i++) {
        flood.send(new ClientFrame.Send("m" + i, "bob", "flood " + i));
        assertThat(flood.next(ServerFrame.Error.class).code()).isEqualTo(ErrorCode.RATE_LIMITED);
      }
      Tus tus = new Tus(server.http());
      for (int i = 0; i < 2; i++) {
        assertThat(tus.create(token, 101, Tus.metadata(Map.of("filename", "big.bin", "to", "bob"))).statusCode())
            .isEqualTo(413);
      }

      assertThat(lines())
          .contains(
              "event=messages_rate_limited user=mallory retry_after=1",
              "event=quota_exceeded user=mallory used=0 needed=101")
          .doesNotContain("event=messages_rate_limited user=mallory retry_after=1 repeated=2");
      clock.advance(SecurityLog.SUMMARY_INTERVAL);
      flood.send(new ClientFrame.Send("m4", "bob", "flood 4"));
      assertThat(flood.next(ServerFrame.Ack.class).id()).isEqualTo("m4");
      flood.send(new ClientFrame.Send("m5", "bob", "flood 5"));
      assertThat(flood.next(ServerFrame.Error.class).code()).isEqualTo(ErrorCode.RATE_LIMITED);
      assertThat(lines()).contains("event=messages_rate_limited user=mallory retry_after=1 repeated=2");
    }
  }

  @Test
  void aBurstThatStopsIsCountedByTheNextFlush() {
    SecurityLog log = new SecurityLog(clock);
    for (int i = 0; i < 3; i++) {
      log.loginThrottled("192.0.2.1", 5);
    }
    log.flush();
    clock.advance(SecurityLog.SUMMARY_INTERVAL);
    log.flush();
    log.flush();

    assertThat(lines())
        .containsExactly("event=login_throttled address=192.0.2.1 retry_after=5", "event=login_throttled address=192.0.2.1 repeated=2");
  }

  private List<String> lines() {
    return logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }
}
