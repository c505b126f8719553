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

/** The unread counts of {@code conversations} and {@code rooms}: others' live messages after the read cursor, each once. */
@ParleyServerTest
class UnreadCountTest {
  @Test
  void deletedMessagesNoLongerCountAsUnreadAndEditsNeverDid(TestServer server, TestUsers users) {
    try (Members members = Members.inRoom(server, users, "alice", "鲍勃")) {
      FrameClient a = members.owner();
      FrameClient b = members.member();
      String room = members.room();
      String alice = "alice";
      String bob = "鲍勃";
      long first = a.sendRoomMessage("m1", room, "one");
      long second = a.sendRoomMessage("m2", room, "two");
      a.sendRoomMessage("m3", room, "three");
      long direct1 = a.sendMessage("d1", bob, "direct one").seq();
      long direct2 = a.sendMessage("d2", bob, "direct two").seq();
      read(b, new ClientFrame.Read("r1", null, alice, direct1));
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

  @Test
  void aRetriedRoomSendGetsTheFirstAckAndIsDeliveredAndCountedOnce(TestServer server, TestUsers users) {
    try (Members members = Members.inRoom(server, users, "ann", "ben")) {
      long first = members.owner().sendRoomMessage("once", members.room(), "只一次");
      long again = members.owner().sendRoomMessage("once", members.room(), "只一次");
      long marker = members.owner().sendRoomMessage("marker", members.room(), "marker");

      assertThat(again).isEqualTo(first);
      assertThat(members.member().nextMatching(ServerFrame.Message.class, m -> m.text() != null).seq()).isEqualTo(first);
      assertThat(members.member().next(ServerFrame.Message.class).seq()).as("the retry is not delivered again").isEqualTo(marker);
      members.member().send(new ClientFrame.History("h", null, members.room(), null, null));
      assertThat(members.member().nextMatching(ServerFrame.History.class, h -> "h".equals(h.id())).messages())
          .filteredOn(m -> "只一次".equals(m.text())).hasSize(1);
      assertThat(unread(members.member())).containsExactly(2L);
    }
  }

  /** The owner (over TCP) and the member (over WebSocket) of a private room that the member has read to its end. */
  private record Members(FrameClient owner, FrameClient member, String room) implements AutoCloseable {
    static Members inRoom(TestServer server, TestUsers users, String ownerName, String memberName) {
      TestUser owner = users.create(ownerName);
      TestUser member = users.create(memberName);
      FrameClient ownerClient = Transport.TCP.connect(server, owner.token(), null);
      FrameClient memberClient = Transport.WEBSOCKET.connect(server, member.token(), null);
      ownerClient.send(new ClientFrame.CreateRoom("c", "room of " + ownerName, List.of(memberName), false));
      String room = ownerClient.nextMatching(ServerFrame.Room.class, r -> "c".equals(r.id())).room().room();
      read(memberClient, new ClientFrame.Read("r0", room, null, Long.MAX_VALUE));
      return new Members(ownerClient, memberClient, room);
    }

    @Override
    public void close() {
      owner.close();
      member.close();
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
