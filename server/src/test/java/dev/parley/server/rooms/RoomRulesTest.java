package dev.parley.server.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.RoomRole;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.ServerSetting;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUser;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A room name's 1–64 characters are code points of any script; an open room is full at
 * {@code max-room-members}; in an open room any member may add people.
 */
@ParleyServerTest
@ServerSetting(key = "max-room-members", value = "3")
class RoomRulesTest {
  @Test
  void aRoomNameHasOneToSixtyFourCodePointsOfAnyScriptAndNoControlCharacters(TestServer server, TestUsers users) {
    TestUser alice = users.create("alice");
    try (FrameClient a = Transport.WEBSOCKET.connect(server, alice.token(), null)) {
      String emoji = "🧪".repeat(64);
      assertThat(emoji.length()).as("128 UTF-16 units, 64 code points").isEqualTo(128);
      assertThat(create(a, "e", emoji).name()).isEqualTo(emoji);
      assertThat(create(a, "t", "  رياضيات 数学 Μαθηματικά  ").name()).as("stripped").isEqualTo("رياضيات 数学 Μαθηματικά");

      for (String refused : List.of(emoji + "🧪", "", "   ", "bell\u0007", "line\nbreak")) {
        a.send(new ClientFrame.CreateRoom("x", refused, List.of(), false));
        ServerFrame.Error error = a.nextMatching(ServerFrame.Error.class, e -> "x".equals(e.id()));
        assertThat(error.code()).as(refused).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(error.message()).isEqualTo("room name must have 1 to 64 characters");
      }
    }
  }

  @Test
  void joiningAFullOpenRoomIsTooLargeAndChangesNothing(TestServer server, TestUsers users) {
    try (OpenRoom open = OpenRoom.of(server, users, "ann", "ben", "cat", true);
        FrameClient late = Transport.TCP.connect(server, users.create("dan").token(), null)) {
      open.third().send(new ClientFrame.Join("j", open.room()));
      open.third().nextMatching(ServerFrame.Room.class, r -> "j".equals(r.id()));

      late.send(new ClientFrame.Join("j", open.room()));
      ServerFrame.Error refused = late.nextMatching(ServerFrame.Error.class, e -> "j".equals(e.id()));
      assertThat(refused.code()).isEqualTo(ErrorCode.TOO_LARGE);
      assertThat(refused.message()).isEqualTo("a room has at most 3 members");
      open.owner().send(new ClientFrame.Room("r", open.room()));
      assertThat(open.owner().nextMatching(ServerFrame.Room.class, r -> "r".equals(r.id())).room().members())
          .extracting(ServerFrame.Member::username).containsExactly("ann", "ben", "cat");
    }
  }

  @Test
  void aPlainMemberOfAnOpenRoomAddsSomeoneWhoGetsTheAddedEntry(TestServer server, TestUsers users) {
    try (OpenRoom open = OpenRoom.of(server, users, "dora", "eli", "fay", true)) {
      open.second().send(new ClientFrame.AddMembers("add", open.room(), List.of("fay")));
      ServerFrame.RoomInfo info = open.second().nextMatching(ServerFrame.Room.class, r -> "add".equals(r.id())).room();

      assertThat(info.members()).containsExactly(new ServerFrame.Member("dora", RoomRole.OWNER),
          new ServerFrame.Member("eli", RoomRole.MEMBER), new ServerFrame.Member("fay", RoomRole.MEMBER));
      ServerFrame.Message added = open.third().nextMatching(ServerFrame.Message.class, m -> m.event() != null);
      assertThat(added.room()).isEqualTo(open.room());
      assertThat(added.from()).isEqualTo("eli");
      assertThat(added.event()).isEqualTo(new ServerFrame.Event(EventKind.ADDED, "fay", null));
    }
  }

  /** An open room made by the owner, with the second user in it or not; the third is outside. */
  private record OpenRoom(FrameClient owner, FrameClient second, FrameClient third, String room) implements AutoCloseable {
    static OpenRoom of(TestServer server, TestUsers users, String owner, String second, String third, boolean secondIsIn) {
      FrameClient ownerClient = Transport.TCP.connect(server, users.create(owner).token(), null);
      FrameClient secondClient = Transport.TCP.connect(server, users.create(second).token(), null);
      FrameClient thirdClient = Transport.WEBSOCKET.connect(server, users.create(third).token(), null);
      ownerClient.send(new ClientFrame.CreateRoom("c", "open " + owner, secondIsIn ? List.of(second) : List.of(), true));
      String room = ownerClient.nextMatching(ServerFrame.Room.class, r -> "c".equals(r.id())).room().room();
      return new OpenRoom(ownerClient, secondClient, thirdClient, room);
    }

    @Override
    public void close() {
      owner.close();
      second.close();
      third.close();
    }
  }

  private static ServerFrame.RoomInfo create(FrameClient client, String id, String name) {
    client.send(new ClientFrame.CreateRoom(id, name, List.of(), false));
    return client.nextMatching(ServerFrame.Room.class, r -> id.equals(r.id())).room();
  }
}
