package dev.parley.server.account;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.admin.OperatorAccounts;
import dev.parley.server.metrics.SecurityLog;
import dev.parley.server.testing.CapturedLog;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.Http.Reply;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.ServerSetting;
import dev.parley.server.testing.TestClock;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUser;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code registration = invite} on a real server: who gets in with which code, over HTTP and both frame transports. */
@ParleyServerTest
@ServerSetting(key = "registration", value = "invite")
class InviteRegistrationTest {
  private static Http http;
  private static TestServer server;
  private static String adminToken;

  @RegisterExtension final CapturedLog securityLog = new CapturedLog(SecurityLog.LOGGER_NAME);

  @BeforeAll
  static void makeAnAdmin(TestServer testServer, Http client) {
    server = testServer;
    http = client;
    // The first account of an invite-only server comes from an invite the operator made offline.
    String code;
    try (OperatorAccounts accounts = server.operatorAccounts()) {
      code = accounts.createInvite(1, null);
    }
    assertThat(register("root", code).status()).isEqualTo(201);
    try (OperatorAccounts accounts = server.operatorAccounts()) {
      accounts.setAdmin("root", true);
    }
    adminToken = http.login("root", PASSWORD);
  }

  private static Reply register(String username, String invite) {
    Map<String, Object> body = new HashMap<>(Map.of("username", username, "password", PASSWORD));
    if (invite != null) {
      body.put("invite", invite);
    }
    return http.post("/api/v1/register", body);
  }

  private static String invite(Map<String, Object> options) {
    Reply created = http.post("/api/v1/admin/invites", options, adminToken);
    assertThat(created.status()).isEqualTo(201);
    return created.body().get("code").asText();
  }

  @Test
  void theServerSaysRegistrationNeedsAnInvite() {
    assertThat(http.get("/api/v1/registration", null).body().get("mode").asText()).isEqualTo("invite");
  }

  @Test
  void withoutACodeOrWithAnUnknownOneRegistrationIsRefusedWithPreciseCodes() throws Exception {
    Reply missing = register("nocode", null);
    assertThat(missing.status()).isEqualTo(403);
    assertThat(missing.errorCode()).isEqualTo("invite_required");
    // From an address of its own, so that no other test's refusal has summarised this one away.
    Http guesser = new Http(server.http(), InetAddress.getByName("127.0.0.7"));
    Reply guessed = guesser.post("/api/v1/register", Map.of("username", "badcode", "password", PASSWORD, "invite", "AAAAAAAAAAAAAAAAAAAAAA"));
    assertThat(guessed.errorCode()).isEqualTo("invite_invalid");
    assertThat(http.post("/api/v1/login", Map.of("username", "badcode", "password", PASSWORD)).status()).isEqualTo(401);
    assertThat(securityLog.messages(Level.WARN)).contains("event=invite_refused address=127.0.0.7 reason=invalid");
  }

  @Test
  void aValidCodeRegistersOverHttpUntilItsUsesAreSpent() {
    String code = invite(Map.of("uses", 2));
    assertThat(register("王芳", code).status()).isEqualTo(201);
    assertThat(register("mei", code).status()).isEqualTo(201);
    Reply third = register("ling", code);
    assertThat(third.status()).isEqualTo(403);
    assertThat(third.errorCode()).isEqualTo("invite_used_up");
    assertThat(http.login("王芳", PASSWORD)).isNotBlank();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theRegisterFrameTakesTheCodeInItsInviteField(Transport transport) {
    String code = invite(Map.of());
    try (FrameClient client = transport.connect(server)) {
      client.send(new ClientFrame.Register("r1", "frame-" + transport, PASSWORD));
      ServerFrame.Error refused = client.next(ServerFrame.Error.class);
      assertThat(refused.code()).isEqualTo(ErrorCode.INVITE_REQUIRED);
      assertThat(refused.id()).isEqualTo("r1");

      client.send(new ClientFrame.Register("r2", "frame-" + transport, PASSWORD, code));
      assertThat(client.next(ServerFrame.Registered.class).username()).isEqualTo("frame-" + transport);
      client.send(new ClientFrame.Register("r3", "again-" + transport, PASSWORD, code));
      assertThat(client.next(ServerFrame.Error.class).code()).isEqualTo(ErrorCode.INVITE_USED_UP);
    }
  }

  @Test
  void aRegistrationThatFailsForATakenNameDoesNotUseTheInvite() {
    String code = invite(Map.of());
    assertThat(register("root", code).errorCode()).isEqualTo("username_taken");
    assertThat(register("ROOT2", code).status()).isEqualTo(201);
  }

  @Test
  void aRevokedCodeIsRefused() {
    Reply created = http.post("/api/v1/admin/invites", Map.of("uses", 5), adminToken);
    http.delete("/api/v1/admin/invites/" + created.body().get("id").asLong(), adminToken);
    assertThat(register("late", created.body().get("code").asText()).errorCode()).isEqualTo("invite_revoked");
  }

  @Test
  void ofRegistrationsRacingForTheLastUseExactlyOneWins() throws Exception {
    String code = invite(Map.of("uses", 1));
    int racers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Reply>> replies = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        String name = "racer" + i;
        replies.add(pool.submit(() -> {
          start.await();
          return register(name, code);
        }));
      }
      start.countDown();
      List<Integer> statuses = new ArrayList<>();
      List<String> errors = new ArrayList<>();
      for (Future<Reply> reply : replies) {
        statuses.add(reply.get().status());
        if (reply.get().status() != 201) {
          errors.add(reply.get().errorCode());
        }
      }
      assertThat(statuses).containsOnlyOnce(201);
      assertThat(errors).hasSize(racers - 1).containsOnly("invite_used_up");
    } finally {
      pool.shutdownNow();
    }
    assertThat(http.get("/api/v1/admin/users?prefix=racer", adminToken).body().get("users")).hasSize(1);
  }

  @Test
  void anExpiredCodeIsRefused() {
    TestClock clock = new TestClock(Instant.now());
    try (TestServer own = TestServer.start(Map.of("registration", "invite"), clock)) {
      Http ownHttp = new Http(own.http());
      String code;
      try (OperatorAccounts accounts = own.operatorAccounts()) {
        code = accounts.createInvite(1, null);
      }
      assertThat(ownHttp.post("/api/v1/register", Map.of("username", "boss", "password", PASSWORD, "invite", code)).status())
          .isEqualTo(201);
      try (OperatorAccounts accounts = own.operatorAccounts()) {
        accounts.setAdmin("boss", true);
      }
      TestUser boss = new TestUsers(own).login("boss");
      String hourly = ownHttp.post("/api/v1/admin/invites", Map.of("uses", 3, "expires", "1h"), boss.token()).body().get("code").asText();

      clock.advance(Duration.ofMinutes(59));
      assertThat(ownHttp.post("/api/v1/register", Map.of("username", "early", "password", PASSWORD, "invite", hourly)).status())
          .isEqualTo(201);
      clock.advance(Duration.ofMinutes(2));
      Reply late = ownHttp.post("/api/v1/register", Map.of("username", "late", "password", PASSWORD, "invite", hourly));
      assertThat(late.status()).isEqualTo(403);
      assertThat(late.errorCode()).isEqualTo("invite_expired");
    }
  }
}
