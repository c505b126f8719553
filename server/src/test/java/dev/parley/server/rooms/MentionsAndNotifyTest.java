package dev.parley.server.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.NotifyLevel;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.SharedServerTest;
import dev.parley.server.testing.TestUser;
import dev.parley.server.testing.Transport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MentionsAndNotifyTest extends SharedServerTest {
  private static String createRoom(FrameClient owner, String... members) {
    owner.send(new ClientFrame.CreateRoom("c", "lab", List.of(members), false));
    return owner.nextMatching(ServerFrame.Room.class, r -> "c".equals(r.id())).room().room();
  }

  private static ServerFrame.Conversation conversation(FrameClient client, String room, String with) {
    client.send(new ClientFrame.Conversations("cv"));
    return client.nextMatching(ServerFrame.Conversations.class, c -> "cv".equals(c.id())).conversations().stream()
        .filter(c -> room != null ? room.equals(c.room()) : with.equals(c.with())).findFirst().orElseThrow();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aMentionIsMarkedOnTheMessageAndCountedUntilRead(Transport transport) {
    TestUser alice = user("alice");
    TestUser bob = user("bob");
    TestUser zhang = user("张三");
    TestUser carol = user("carol");
    try (FrameClient a = transport.connect(server, alice.token(), null);
        FrameClient b = transport.connect(server, bob.token(), null);
        FrameClient z = transport.connect(server, zhang.token(), null)) {
      String room = createRoom(a, bob.username(), zhang.username());
      String text = "@" + bob.username().toUpperCase() + ", @" + zhang.username() + " and @" + bob.username()
          + " see mail@" + zhang.username() + " and @" + carol.username();
      long first = a.sendRoomMessage("r1", room, text);
      a.sendRoomMessage("r2", room, "no mention here");
      long third = a.sendRoomMessage("r3", room, "@" + bob.username() + ".");

      ServerFrame.Message seen = b.nextMatching(ServerFrame.Message.class, m -> m.seq() == first);
      assertThat(seen.mentions()).as("members only, each once, as registered, not inside an address")
          .containsExactly(bob.username(), zhang.username());
      assertThat(b.nextMatching(ServerFrame.Message.class, m -> "no mention here".equals(m.text())).mentions()).isNull();
      assertThat(b.nextMatching(ServerFrame.Message.class, m -> m.seq() == third).mentions()).containsExactly(bob.username());

      assertThat(conversation(b, room, null).mentions()).isEqualTo(2);
      assertThat(conversation(z, room, null).mentions()).isEqualTo(1);
      assertThat(conversation(a, room, null).mentions()).isZero();

      b.send(new ClientFrame.Read("rd", room, null, first));
      b.nextMatching(ServerFrame.Read.class, r -> "rd".equals(r.id()));
      assertThat(conversation(b, room, null).mentions()).as("after reading the first").isEqualTo(1);
      b.send(new ClientFrame.Read("rd2", room, null, third));
      b.nextMatching(ServerFrame.Read.class, r -> "rd2".equals(r.id()));
      assertThat(conversation(b, room, null).mentions()).isZero();
    }
  }

  @Test
  void anEditCanAddAMentionAndADeleteTakesItAway() {
    TestUser alice = user("alice");
    TestUser bob = user("bob");
    try (FrameClient a = Transport.TCP.connect(server, alice.token(), null);
        FrameClient b = Transport.TCP.connect(server, bob.token(), null)) {
      String room = createRoom(a, bob.username());
      long seq = a.sendRoomMessage("r1", room, "hello");
      a.send(new ClientFrame.Edit("e1", seq, "hello @" + bob.username()));
      a.nextMatching(ServerFrame.Ack.class, ack -> "e1".equals(ack.id()));
      assertThat(conversation(b, room, null).mentions()).isEqualTo(1);
      a.send(new ClientFrame.Delete("d1", seq));
      a.nextMatching(ServerFrame.Ack.class, ack -> "d1".equals(ack.id()));
      assertThat(conversation(b, room, null).mentions()).isZero();
    }
  }

  @Test
  void aNotificationLevelIsStoredAndPushedToTheUsersOtherConnections(Http http) {
    TestUser alice = user("alice");
    TestUser bob = user("bob");
    try (FrameClient a1 = Transport.TCP.connect(server, alice.token(), null);
        FrameClient a2 = Transport.WEBSOCKET.connect(server, users.login(alice.username()).token(), null)) {
      String room = createRoom(a1, bob.username());
      a1.sendMessage("m1", bob.username(), "hi");
      assertThat(conversation(a1, room, null).notifyLevel()).isEqualTo(NotifyLevel.ALL);
      assertThat(conversation(a1, null, bob.username()).notifyLevel()).isEqualTo(NotifyLevel.ALL);
      assertThat(conversation(a1, null, bob.username()).mentions()).as("rooms only").isNull();

      a1.send(new ClientFrame.Notify("n1", room, null, NotifyLevel.MENTIONS));
      assertThat(a1.nextMatching(ServerFrame.Notify.class, n -> "n1".equals(n.id())))
          .isEqualTo(new ServerFrame.Notify("n1", room, null, NotifyLevel.MENTIONS));
      assertThat(a2.nextMatching(ServerFrame.Notify.class, n -> true))
          .isEqualTo(new ServerFrame.Notify(null, room, null, NotifyLevel.MENTIONS));
      assertThat(conversation(a2, room, null).notifyLevel()).isEqualTo(NotifyLevel.MENTIONS);

      Http.Reply put = http.put("/api/v1/conversations/notify", Map.of("with", bob.username(), "level", "none"), alice.token());
      assertThat(put.status()).isEqualTo(200);
      assertThat(put.body().get("with").asText()).isEqualTo(bob.username());
      assertThat(put.body().get("level").asText()).isEqualTo("none");
      for (FrameClient client : List.of(a1, a2)) {
        assertThat(client.nextMatching(ServerFrame.Notify.class, n -> n.id() == null && n.with() != null))
            .isEqualTo(new ServerFrame.Notify(null, null, bob.username(), NotifyLevel.NONE));
      }
      assertThat(conversation(a1, null, bob.username()).notifyLevel()).isEqualTo(NotifyLevel.NONE);
      assertThat(conversation(a1, room, null).notifyLevel()).isEqualTo(NotifyLevel.MENTIONS);

      assertThat(http.put("/api/v1/conversations/notify", Map.of("room", room, "level", "loud"), alice.token()).errorCode())
          .isEqualTo("bad_request");
      TestUser eve = user("eve");
      try (FrameClient e = Transport.TCP.connect(server, eve.token(), null)) {
        e.send(new ClientFrame.Notify("n2", room, null, NotifyLevel.NONE));
        assertThat(e.nextMatching(ServerFrame.Error.class, err -> "n2".equals(err.id())).code()).isEqualTo(ErrorCode.NOT_FOUND);
      }
    }
  }
}
