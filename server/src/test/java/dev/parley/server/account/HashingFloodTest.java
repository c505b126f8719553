package dev.parley.server.account;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.LineClient;
import dev.parley.server.testing.TestClock;
import dev.parley.server.testing.TestServer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The password-hashing queue is shared by everyone: one anonymous client must not be able to fill
 * it. Argon2 work is observed through the {@code parley_password_hashes_total} counter, so nothing
 * here depends on timing.
 */
class HashingFloodTest {
  private static final FrameCodec CODEC = new FrameCodec();
  private static final Pattern HASHES = Pattern.compile("(?m)^parley_password_hashes_total (\\S+)$");
  private static final int BURST = 200;

  @Test
  void aBurstOfRegistrationsForATakenNameIsRefusedWithoutHashingWhileAliceLogsIn() throws Exception {
    try (TestServer server = TestServer.start();
        LineClient flood = LineClient.connect(server.tcpPort())) {
      Http http = new Http(server.http());
      http.registerAndLogin("alice", PASSWORD);
      double before = hashes(server);

      StringBuilder burst = new StringBuilder();
      for (int i = 0; i < BURST; i++) {
        burst.append(CODEC.encodeToString(new ClientFrame.Register("r" + i, "alice", "another" + i + "pw"))).append('\n');
      }
      flood.sendRaw(burst.toString().getBytes(StandardCharsets.UTF_8));
      CompletableFuture<String> aliceLogin = CompletableFuture.supplyAsync(() -> http.login("alice", PASSWORD));

      List<ServerFrame.Error> refusals = new ArrayList<>();
      for (int i = 0; i < BURST; i++) {
        refusals.add(flood.next(ServerFrame.Error.class));
      }
      await().atMost(Duration.ofSeconds(30)).until(aliceLogin::isDone);

      assertThat(refusals).extracting(ServerFrame.Error::code).containsOnly(ErrorCode.USERNAME_TAKEN);
      assertThat(aliceLogin.join()).isNotBlank();
      assertThat(hashes(server) - before).as("Argon2 runs: alice's login only").isEqualTo(1);
    }
  }

  @Test
  void registrationsPastTheLimitPerAddressAreRefusedWithRetryAfterBeforeHashing() throws Exception {
    TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (TestServer server = TestServer.start(Map.of("registrations-per-address-per-hour", 3), clock);
        LineClient flood = LineClient.connect(server.tcpPort())) {
      Http http = new Http(server.http());
      double before = hashes(server);
      StringBuilder burst = new StringBuilder();
      for (int i = 0; i < 5; i++) {
        burst.append(CODEC.encodeToString(new ClientFrame.Register("r" + i, "user" + i, PASSWORD))).append('\n');
      }
      flood.sendRaw(burst.toString().getBytes(StandardCharsets.UTF_8));

      for (int i = 0; i < 3; i++) {
        assertThat(flood.next()).isEqualTo(new ServerFrame.Registered("r" + i, "user" + i));
      }
      for (int i = 3; i < 5; i++) {
        ServerFrame.Error refused = flood.next(ServerFrame.Error.class);
        assertThat(refused.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(refused.message()).isEqualTo("too many registrations from this address; try again later");
        assertThat(refused.retryAfter()).isEqualTo(1200L);
      }
      assertThat(hashes(server) - before).isEqualTo(3);

      try (FrameClient elsewhere = LineClient.connect(server.tcpPort(), InetAddress.getByName("127.0.0.2"))) {
        elsewhere.send(new ClientFrame.Register("x", "other", PASSWORD));
        assertThat(elsewhere.next()).isEqualTo(new ServerFrame.Registered("x", "other"));
      }
      clock.advance(Duration.ofMinutes(20));
      flood.send(new ClientFrame.Register("later", "user5", PASSWORD));
      assertThat(flood.next()).isEqualTo(new ServerFrame.Registered("later", "user5"));
    }
  }

  @Test
  void registrationsPastTheServerWideLimitAreRefusedFromAnyAddress() throws Exception {
    try (TestServer server = TestServer.start(Map.of("registrations-per-hour", 1))) {
      Http http = new Http(server.http());
      assertThat(http.post("/api/v1/register", Map.of("username", "first", "password", PASSWORD)).status()).isEqualTo(201);
      Http.Reply refused =
          new Http(server.http(), InetAddress.getByName("127.0.0.3"))
              .post("/api/v1/register", Map.of("username", "second", "password", PASSWORD));
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.errorCode()).isEqualTo("rate_limited");
      assertThat(refused.body().path("error").path("message").asText()).isEqualTo("too many registrations; try again later");
      assertThat(refused.raw().headers().firstValue("Retry-After")).hasValue("3600");
    }
  }

  @Test
  void framesPipelinedBehindARegisterWaitForIt() {
    try (TestServer server = TestServer.start();
        LineClient client = LineClient.connect(server.tcpPort())) {
      client.sendText(
          CODEC.encodeToString(new ClientFrame.Register("r", "quinn", PASSWORD)) + "\n"
              + CODEC.encodeToString(new ClientFrame.Register("again", "quinn", PASSWORD)) + "\n"
              + CODEC.encodeToString(new ClientFrame.Ping("p")));

      assertThat(client.next()).isEqualTo(new ServerFrame.Registered("r", "quinn"));
      assertThat(client.next(ServerFrame.Error.class).code()).isEqualTo(ErrorCode.USERNAME_TAKEN);
      assertThat(client.next()).isEqualTo(new ServerFrame.Pong("p"));
    }
  }

  /** From the admin listener, which serves {@code /metrics}. */
  private static double hashes(TestServer server) {
    Matcher matcher = HASHES.matcher(new Http(server.admin()).get("/metrics", null).raw().body());
    assertThat(matcher.find()).as("parley_password_hashes_total in /metrics").isTrue();
    return Double.parseDouble(matcher.group(1));
  }
}
