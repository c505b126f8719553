package dev.parley.server.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUser;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The unread counts of {@code conversations} and {@code rooms}: others' live messages after the read cursor. */
@ParleyServerTest
class UnreadCountTest {
  @Test
  void deletedMessagesNoLongerCountAsUnreadAndEditsNeverDid(TestServer server, TestUsers users) {
    TestUser alice = users.create("alice");
    TestUser bob = users.create("鲍勃");
    try (FrameClient a = Transport.TCP.connect(server, alice.token(), null);
        FrameClient b = Transport.WEBSOCKET.connect(server, bob.token(), null)) {
      a.send(new ClientFrame.CreateRoom("c", "未读", List.of(bob.username()), false));
      String room = a.nextMatching(ServerFrame.Room.class, r -> "c".equals(r.id())).room().room();
      read(b, new ClientFrame.Read("r0", room, null, Long.MAX_VALUE));
      long first = a.sendRoomMessage("m1", room, "one");
      long second = a.sendRoomMessage("m2", room, "two");
      a.sendRoomMessage("m3", room, "three");
      long direct1 = a.sendMessage("d1", bob.username(), "direct one").seq();
      long direct2 = a.sendMessage("d2", bob.username(), "direct two").seq();
      read(b, new ClientFrame.Read("r1", null, alice.username(), direct1));
      assertThat(unread(b)).containsExactly(1L, 3L);

      ack(a, new ClientFrame.Delete("x1", second));
      ack(a, new ClientFrame.Delete("x2", direct2));
      ack(a, new ClientFrame.Delete("x3", direct1));
      ack(a, new ClientFrame.Edit("e1", first, "one, edited"));

      assertThat(unread(b)).as("room: one of three deleted; direct: its unread one deleted, the read one too")
          .containsExactly(2L, 0L);
      b.send(new ClientFrame.Rooms("rs"));
      assertThat(b.nextMatching(ServerFrame.Rooms.class, r -> "rs".equals(r.id())).rooms())
          .extracting(ServerFrame.RoomSummary::unread).containsExactly(2L);
      a.sendRoomMessage("m4", room, "four");
      assertThat(unread(b)).as("the count goes on from there").containsExactly(3L, 0L);
      read(b, new ClientFrame.Read("r2", room, null, Long.MAX_VALUE));
      assertThat(unread(b)).containsExactly(0L, 0L);
    }
  }

  private static void read(FrameClient client, ClientFrame.Read read) {
    client.send(read);
    client.nextMatching(ServerFrame.Read.class, r -> read.id().equals(r.id()));
  }

  private static void ack(FrameClient client, ClientFrame request) {
    client.send(request);
    client.nextMatching(ServerFrame.Ack.class, x -> request.id().equals(x.id()));
  }

  /** Unread counts, newest activity first. */
  private static List<Long> unread(FrameClient client) {
    client.send(new ClientFrame.Conversations("cv"));
    return client.nextMatching(ServerFrame.Conversations.class, c -> "cv".equals(c.id())).conversations().stream()
        .map(ServerFrame.Conversation::unread).toList();
  }
}
