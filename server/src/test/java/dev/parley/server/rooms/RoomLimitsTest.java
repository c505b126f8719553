package dev.parley.server.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
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

/** A room name's 1–64 characters are code points of any script; an open room is full at {@code max-room-members}. */
@ParleyServerTest
@ServerSetting(key = "max-room-members", value = "2")
class RoomLimitsTest {
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
    TestUser alice = users.create("ann");
    TestUser bob = users.create("ben");
    TestUser carol = users.create("cat");
    try (FrameClient a = Transport.TCP.connect(server, alice.token(), null);
        FrameClient b = Transport.TCP.connect(server, bob.token(), null);
        FrameClient c = Transport.TCP.connect(server, carol.token(), null)) {
      a.send(new ClientFrame.CreateRoom("c", "full", List.of(), true));
      String room = a.nextMatching(ServerFrame.Room.class, r -> "c".equals(r.id())).room().room();
      b.send(new ClientFrame.Join("j", room));
      b.nextMatching(ServerFrame.Room.class, r -> "j".equals(r.id()));

      c.send(new ClientFrame.Join("j", room));
      ServerFrame.Error refused = c.nextMatching(ServerFrame.Error.class, e -> "j".equals(e.id()));
      assertThat(refused.code()).isEqualTo(ErrorCode.TOO_LARGE);
      assertThat(refused.message()).isEqualTo("a room has at most 2 members");
      a.send(new ClientFrame.Room("r", room));
      assertThat(a.nextMatching(ServerFrame.Room.class, r -> "r".equals(r.id())).room().members())
          .extracting(ServerFrame.Member::username).containsExactly(alice.username(), bob.username());
    }
  }

  private static ServerFrame.RoomInfo create(FrameClient client, String id, String name) {
    client.send(new ClientFrame.CreateRoom(id, name, List.of(), false));
    return client.nextMatching(ServerFrame.Room.class, r -> id.equals(r.id())).room();
  }
}
