package dev.parley.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.Http.Reply;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@ParleyServerTest
class RestApiTest {
  private static Http http;
  private static String sam;
  private static String tina;

  @BeforeAll
  static void logInSamAndTina(Http client, TestUsers users) {
    http = client;
    sam = users.create("sam").token();
    tina = users.create("蒂娜").token();
  }

  @Test
  void usersListsEveryoneWithOnlineMarks(TestServer server) {
    try (FrameClient online = Transport.TCP.connect(server, tina, null)) {
      Reply reply = http.get("/api/v1/users", sam);
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.body().toString())
          .isEqualTo("{\"users\":[{\"username\":\"sam\",\"online\":false},{\"username\":\"蒂娜\",\"online\":true}]}");
      assertThat(http.get("/api/v1/users?online=true", sam).body().get("users")).hasSize(1);
      assertThat(http.get("/api/v1/users?prefix=" + encode("蒂"), sam).body().get("users").get(0).get("username").asText())
          .isEqualTo("蒂娜");
      assertThat(http.get("/api/v1/users?limit=1", sam).body().get("users")).hasSize(1);
    }
  }

  @Test
  void messagesReturnsTheNewestPageOldestFirstAndPagesWithBefore(TestServer server) {
    List<Long> seqs = new ArrayList<>();
    try (FrameClient client = Transport.WEBSOCKET.connect(server, sam, null)) {
      for (int i = 0; i < 5; i++) {
        seqs.add(client.sendMessage("r" + i, "蒂娜", "消息 " + i).seq());
      }
    }
    String with = "with=" + encode("蒂娜");
    JsonNode newest = http.get("/api/v1/messages?" + with + "&limit=2", sam).body().get("messages");
    assertThat(newest).hasSize(2);
    assertThat(newest.get(0).get("seq").asLong()).isEqualTo(seqs.get(3));
    assertThat(newest.get(1).get("text").asText()).isEqualTo("消息 4");
    assertThat(newest.get(1).get("from").asText()).isEqualTo("sam");
    assertThat(newest.get(1).get("to").asText()).isEqualTo("蒂娜");
    assertThat(newest.get(1).get("type").asText()).isEqualTo("message");
    assertThat(newest.get(1).get("ts").asLong()).isPositive();

    JsonNode older = http.get("/api/v1/messages?" + with + "&limit=2&before=" + seqs.get(3), sam).body().get("messages");
    assertThat(older).extracting(m -> m.get("seq").asLong()).containsExactly(seqs.get(1), seqs.get(2));
    // The other side sees the same conversation.
    JsonNode fromTina = http.get("/api/v1/messages?with=sam", tina).body().get("messages");
    assertThat(fromTina).extracting(m -> m.get("seq").asLong()).containsAll(seqs);
  }

  @Test
  void aPlainRequestToTheWebSocketEndpointIsABadRequest() {
    Reply reply = http.get("/api/v1/ws", sam);
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.errorCode()).isEqualTo("bad_request");
  }

  @Test
  void postingAMessageStoresAndDeliversItWithoutALiveConnection(TestServer server) {
    try (FrameClient tinaOnline = Transport.TCP.connect(server, tina, null)) {
      Reply posted = http.post("/api/v1/messages", Map.of("id", "script-1", "to", "蒂娜", "text", "from a script"), sam);
      assertThat(posted.status()).isEqualTo(201);
      long seq = posted.body().get("seq").asLong();
      assertThat(posted.body().get("id").asText()).isEqualTo("script-1");
      assertThat(tinaOnline.next(ServerFrame.Message.class).seq()).isEqualTo(seq);

      Reply retried = http.post("/api/v1/messages", Map.of("id", "script-1", "to", "蒂娜", "text", "from a script"), sam);
      assertThat(retried.body().get("seq").asLong()).isEqualTo(seq);
      assertThat(http.post("/api/v1/messages", Map.of("to", "ghost", "text", "x"), sam).status()).isEqualTo(404);
      assertThat(http.post("/api/v1/messages", Map.of("to", "蒂娜"), sam).errorCode()).isEqualTo("bad_request");
      assertThat(http.post("/api/v1/messages", Map.of("to", "蒂娜", "text", "x"), null).status()).isEqualTo(401);
    }
  }

  @Test
  void messagesWithAnUnknownUserIsNotFound() {
    Reply reply = http.get("/api/v1/messages?with=ghost", sam);
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.errorCode()).isEqualTo("not_found");
  }

  @Test
  void badQueryParametersAreBadRequests() {
    assertThat(http.get("/api/v1/messages", sam).errorCode()).isEqualTo("bad_request");
    assertThat(http.get("/api/v1/messages?with=sam&limit=lots", sam).errorCode()).isEqualTo("bad_request");
    assertThat(http.get("/api/v1/messages?with=sam&limit=0", sam).errorCode()).isEqualTo("bad_request");
  }

  @Test
  void endpointsNeedABearerToken() {
    for (String path : List.of("/api/v1/users", "/api/v1/messages?with=sam")) {
      Reply reply = http.get(path, null);
      assertThat(reply.status()).isEqualTo(401);
      assertThat(reply.errorCode()).isEqualTo("unauthorized");
      assertThat(reply.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      assertThat(http.get(path, "forged-token").status()).isEqualTo(401);
    }
    assertThat(http.post("/api/v1/logout", Map.of(), null).status()).isEqualTo(401);
  }

  @Test
  void unknownPathsAreNotFoundAndWrongMethodsAre405() {
    Reply unknown = http.get("/api/v1/nothing-here", sam);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errorCode()).isEqualTo("not_found");
    Reply wrongMethod = http.get("/api/v1/login", null);
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.raw().headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void passwordPolicyHasItsDocumentedFieldNames() {
    Reply reply = http.get("/api/v1/password-policy", null);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().fieldNames()).toIterable()
        .containsExactlyInAnyOrder("minLength", "maxLength", "requireLetter", "requireDigit");
    assertThat(reply.body().get("minLength").isInt()).isTrue();
    assertThat(reply.body().get("requireDigit").isBoolean()).isTrue();
  }

  @Test
  void anOversizedBodyIsTooLarge() {
    Reply reply = http.postRaw("/api/v1/login", "{\"username\":\"" + "x".repeat(70_000) + "\"}");
    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.errorCode()).isEqualTo("too_large");
  }

  @Test
  void healthAndMetricsAreServed(TestServer server) {
    assertThat(http.get("/healthz", null).status()).isEqualTo(200);
    try (FrameClient connected = Transport.TCP.connect(server, sam, null)) {
      connected.sendMessage("metric", "蒂娜", "count me");
      String metrics = new Http(server.admin()).get("/metrics", null).raw().body();
      assertThat(metrics)
          .contains("parley_connections{transport=\"tcp\"} 1.0")
          .contains("parley_logins_total{result=\"success\"}")
          .contains("parley_messages_total")
          .contains("parley_commit_seconds")
          .contains("parley_users_online");
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
