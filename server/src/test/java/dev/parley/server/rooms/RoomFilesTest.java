package dev.parley.server.rooms;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUser;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import dev.parley.server.testing.Tus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A file sent to a room reaches every member, and only current members may download it. */
@ParleyServerTest
class RoomFilesTest {
  @Test
  void everyCurrentMemberMayDownloadARoomFileAndNobodyElse(TestServer server, TestUsers users, Tus tus) {
    TestUser alice = users.create("alice");
    TestUser bob = users.create("bob");
    TestUser carol = users.create("carol");
    TestUser eve = users.create("eve");
    byte[] bytes = "实验数据 1,2,3\n".getBytes(UTF_8);
    try (FrameClient a = Transport.TCP.connect(server, alice.token(), null);
        FrameClient b = Transport.TCP.connect(server, bob.token(), null)) {
      a.send(new ClientFrame.CreateRoom("c", "lab", List.of(bob.username(), carol.username()), false));
      String room = a.nextMatching(ServerFrame.Room.class, r -> "c".equals(r.id())).room().room();

      assertThat(tus.create(eve.token(), bytes.length, Tus.metadata(Map.of("filename", "x.txt", "room", room))).statusCode())
          .as("a non-member cannot upload to the room").isEqualTo(404);
      String path = tus.createdPath(alice.token(), bytes.length, Tus.metadata(Map.of("filename", "data.csv", "room", room)));
      assertThat(tus.patch(alice.token(), path, 0, bytes).statusCode()).isEqualTo(204);

      ServerFrame.Message message = b.nextMatching(ServerFrame.Message.class, m -> m.file() != null);
      assertThat(message.room()).isEqualTo(room);
      assertThat(message.from()).isEqualTo(alice.username());
      String fileId = message.file().id();
      assertThat(tus.download(bob.token(), fileId, Map.of()).body()).isEqualTo(bytes);
      assertThat(tus.download(carol.token(), fileId, Map.of()).body()).isEqualTo(bytes);
      assertThat(tus.download(eve.token(), fileId, Map.of()).statusCode()).isEqualTo(404);

      a.send(new ClientFrame.RemoveMember("rm", room, carol.username()));
      a.nextMatching(ServerFrame.Room.class, r -> "rm".equals(r.id()));
      assertThat(tus.download(carol.token(), fileId, Map.of()).statusCode()).as("removed: no longer a reader").isEqualTo(404);
    }
  }
}
