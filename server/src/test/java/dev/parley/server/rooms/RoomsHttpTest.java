package dev.parley.server.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUser;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTP endpoints of rooms answer with the fields of the matching frames. */
@ParleyServerTest
class RoomsHttpTest {
  @Test
  void createListSendAndReadARoomOverHttp(TestServer server, Http http, TestUsers users) {
    TestUser alice = users.create("alice");
    TestUser bob = users.create("bob");
    TestUser eve = users.create("eve");

    Http.Reply created = http.post("/api/v1/rooms", Map.of("name", "lab", "members", List.of("bob")), alice.token());
    assertThat(created.status()).isEqualTo(201);
    JsonNode room = created.body().get("room");
    String key = room.get("room").asText();
    assertThat(room.get("name").asText()).isEqualTo("lab");
    assertThat(room.get("open").asBoolean()).isFalse();
    assertThat(room.get("members").toString())
        .isEqualTo("[{\"username\":\"alice\",\"role\":\"owner\"},{\"username\":\"bob\",\"role\":\"member\"}]");

    try (FrameClient b = Transport.WEBSOCKET.connect(server, bob.token(), null)) {
      Http.Reply sent = http.post("/api/v1/messages", Map.of("room", key, "text", "from a script"), alice.token());
      assertThat(sent.status()).isEqualTo(201);
      ServerFrame.Message message = b.nextMatching(ServerFrame.Message.class, m -> m.text() != null);
      assertThat(message.room()).isEqualTo(key);
      assertThat(message.seq()).isEqualTo(sent.body().get("seq").asLong());
    }

    JsonNode history = http.get("/api/v1/messages?room=" + key, bob.token()).body();
    assertThat(history.get("room").asText()).isEqualTo(key);
    assertThat(history.get("messages")).extracting(m -> m.has("event") ? m.get("event").get("kind").asText() : m.get("text").asText())
        .containsExactly("created", "added", "from a script");

    JsonNode rooms = http.get("/api/v1/rooms", bob.token()).body().get("rooms");
    assertThat(rooms).hasSize(1);
    assertThat(rooms.get(0).get("room").asText()).isEqualTo(key);
    assertThat(rooms.get(0).get("role").asText()).isEqualTo("member");
    assertThat(rooms.get(0).get("members").asInt()).isEqualTo(2);
    assertThat(rooms.get(0).get("unread").asLong()).isEqualTo(2);

    JsonNode conversations = http.get("/api/v1/conversations", bob.token()).body().get("conversations");
    assertThat(conversations.get(0).get("room").asText()).isEqualTo(key);
    assertThat(conversations.get(0).get("last").get("text").asText()).isEqualTo("from a script");

    assertThat(http.get("/api/v1/messages?room=" + key, eve.token()).status()).isEqualTo(404);
    assertThat(http.post("/api/v1/messages", Map.of("room", key, "text", "let me in"), eve.token()).status()).isEqualTo(404);
    assertThat(http.get("/api/v1/messages?room=" + key + "&with=bob", bob.token()).status()).isEqualTo(400);
    assertThat(http.post("/api/v1/rooms", Map.of("name", ""), alice.token()).errorCode()).isEqualTo("bad_request");
  }
}
