package dev.parley.server.account;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ByeReason;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.Http.Reply;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUser;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** A user's own password and sessions, on a real server with live connections. */
@ParleyServerTest
class OwnAccountTest {
  @Test
  void changingThePasswordEndsEveryOtherSessionButNotTheCurrentOne(TestServer server, Http http, TestUsers users) {
    TestUser laptop = users.create("ana");
    TestUser phone = users.login("ana");
    try (FrameClient phoneLive = Transport.WEBSOCKET.connect(server, phone.token(), null);
        FrameClient laptopLive = Transport.TCP.connect(server, laptop.token(), null)) {
      Reply changed = http.post("/api/v1/account/password", Map.of("oldPassword", PASSWORD, "newPassword", "更好的密码2026"), laptop.token());
      assertThat(changed.status()).isEqualTo(204);

      assertThat(phoneLive.nextMatching(ServerFrame.Bye.class, bye -> true).reason()).isEqualTo(ByeReason.PASSWORD_CHANGED);
      phoneLive.awaitClosed();
      assertThat(http.get("/api/v1/account", phone.token()).status()).isEqualTo(401);

      assertThat(http.get("/api/v1/account", laptop.token()).status()).isEqualTo(200);
      laptopLive.send(new dev.parley.protocol.ClientFrame.Ping("p"));
      assertThat(laptopLive.next(ServerFrame.Pong.class).id()).isEqualTo("p");
    }
    assertThat(http.post("/api/v1/login", Map.of("username", "ana", "password", PASSWORD)).errorCode()).isEqualTo("bad_credentials");
    assertThat(http.login("ana", "更好的密码2026")).isNotBlank();
  }

  @Test
  void aWrongCurrentPasswordOrAWeakNewOneChangesNothing(Http http, TestUsers users) {
    TestUser ben = users.create("ben");
    Reply wrong = http.post("/api/v1/account/password", Map.of("oldPassword", "not-it-123", "newPassword", "another123"), ben.token());
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.errorCode()).isEqualTo("bad_credentials");
    assertThat(http.post("/api/v1/account/password", Map.of("oldPassword", PASSWORD, "newPassword", "short"), ben.token()).errorCode())
        .isEqualTo("weak_password");
    assertThat(http.post("/api/v1/account/password", Map.of("newPassword", "another123"), ben.token()).errorCode())
        .isEqualTo("bad_request");
    assertThat(http.get("/api/v1/account", ben.token()).status()).isEqualTo(200);
    assertThat(http.login("ben", PASSWORD)).isNotBlank();
  }

  @Test
  void aUserSeesTheirSessionsAndEndsOneOrAllOthers(TestServer server, Http http, TestUsers users) {
    TestUser first = users.create("cai");
    TestUser second = users.login("cai");
    TestUser third = users.login("cai");
    JsonNode sessions = http.get("/api/v1/account/sessions", first.token()).body().get("sessions");
    assertThat(sessions).hasSize(3);
    JsonNode current = StreamSupport.stream(sessions.spliterator(), false).filter(s -> s.get("current").asBoolean()).findFirst().orElseThrow();
    assertThat(current.get("address").asText()).isEqualTo("127.0.0.1");
    assertThat(current.get("agent").asText()).startsWith("Java-http-client");
    assertThat(current.get("lastUsed").asLong()).isGreaterThanOrEqualTo(current.get("created").asLong());
    assertThat(StreamSupport.stream(sessions.spliterator(), false).filter(s -> s.get("current").asBoolean())).hasSize(1);

    // The second session ends by its id, as the sessions list shows it from another device.
    String secondId = http.get("/api/v1/account/sessions", second.token()).body().get("sessions").findValues("id").stream()
        .filter(id -> StreamSupport.stream(sessions.spliterator(), false)
            .anyMatch(s -> s.get("id").equals(id) && !s.get("current").asBoolean()))
        .map(JsonNode::asText)
        .filter(id -> isCurrent(http, second.token(), id))
        .findFirst().orElseThrow();
    try (FrameClient secondLive = Transport.TCP.connect(server, second.token(), null)) {
      assertThat(http.delete("/api/v1/account/sessions/" + secondId, first.token()).status()).isEqualTo(204);
      assertThat(secondLive.nextMatching(ServerFrame.Bye.class, bye -> true).reason()).isEqualTo(ByeReason.SESSION_ENDED);
    }
    assertThat(http.get("/api/v1/account", second.token()).status()).isEqualTo(401);
    assertThat(http.delete("/api/v1/account/sessions/" + secondId, first.token()).errorCode()).isEqualTo("not_found");
    assertThat(http.delete("/api/v1/account/sessions/%25", first.token()).errorCode()).isEqualTo("not_found");

    // "Log out everywhere": the third ends, the first stays.
    try (FrameClient thirdLive = Transport.WEBSOCKET.connect(server, third.token(), null)) {
      Reply ended = http.post("/api/v1/account/sessions/end-others", Map.of(), first.token());
      assertThat(ended.body().get("ended").asInt()).isEqualTo(1);
      assertThat(thirdLive.nextMatching(ServerFrame.Bye.class, bye -> true).reason()).isEqualTo(ByeReason.SESSION_ENDED);
    }
    assertThat(http.get("/api/v1/account", third.token()).status()).isEqualTo(401);
    assertThat(http.get("/api/v1/account/sessions", first.token()).body().get("sessions")).hasSize(1);
  }

  @Test
  void anotherUsersSessionCannotBeEnded(Http http, TestUsers users) {
    TestUser dan = users.create("dan");
    TestUser eve = users.create("eve");
    String dansId = http.get("/api/v1/account/sessions", dan.token()).body().get("sessions").get(0).get("id").asText();
    assertThat(http.delete("/api/v1/account/sessions/" + dansId, eve.token()).errorCode()).isEqualTo("not_found");
    assertThat(http.get("/api/v1/account", dan.token()).status()).isEqualTo(200);
  }

  private static boolean isCurrent(Http http, String token, String id) {
    return StreamSupport.stream(http.get("/api/v1/account/sessions", token).body().get("sessions").spliterator(), false)
        .anyMatch(s -> s.get("id").asText().equals(id) && s.get("current").asBoolean());
  }
}
