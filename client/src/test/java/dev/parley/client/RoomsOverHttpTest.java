package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.RoomRole;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.OwnServer;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rooms over the HTTP API through {@link ParleyClient}, uploads included, against a real server. */
@ParleyServerTest
@OwnServer
class RoomsOverHttpTest extends ThreeUsersTest {
  @TempDir Path temp;

  RoomsOverHttpTest(TestServer server, TestUsers users) {
    super(server, users);
  }

  @Test
  void aRoomCreatedOverHttpIsListedWithUnreadCountsAndItsLog() {
    ServerFrame.RoomInfo lab = rest.createRoom(alice, "实验室", List.of("BOB"), false);

    assertThat(lab.name()).isEqualTo("实验室");
    assertThat(lab.open()).isFalse();
    assertThat(lab.members()).containsExactly(
        new ServerFrame.Member("alice", RoomRole.OWNER), new ServerFrame.Member("bob", RoomRole.MEMBER));

    ServerFrame.Ack ack = rest.sendToRoom(alice, "a1", lab.room(), "大家好");
    assertThat(rest.sendToRoom(alice, "a1", lab.room(), "大家好")).isEqualTo(ack);

    assertThat(rest.rooms(bob)).singleElement().satisfies(room -> {
      assertThat(room.room()).isEqualTo(lab.room());
      assertThat(room.role()).isEqualTo(RoomRole.MEMBER);
      assertThat(room.members()).isEqualTo(2);
      assertThat(room.unread()).isPositive();
      assertThat(room.lastSeq()).isEqualTo(ack.seq());
    });
    assertThat(rest.rooms(alice)).singleElement().satisfies(room -> assertThat(room.unread()).isZero());
    assertThat(rest.conversations(bob)).singleElement().satisfies(conversation -> {
      assertThat(conversation.room()).isEqualTo(lab.room());
      assertThat(conversation.name()).isEqualTo("实验室");
      assertThat(conversation.last().text()).isEqualTo("大家好");
    });
    assertThat(rest.roomMessages(bob, lab.room(), null, null))
        .extracting(m -> m.event() == null ? m.text() : m.event().kind().wireName())
        .containsExactly("created", "added", "大家好");
    assertThat(rest.roomMessages(bob, lab.room(), ack.seq(), 1)).singleElement()
        .satisfies(m -> assertThat(m.event()).isEqualTo(new ServerFrame.Event(EventKind.ADDED, "bob", null)));
  }

  @Test
  void aFileUploadedToARoomReachesItsMembersOnly() throws Exception {
    ServerFrame.RoomInfo lab = rest.createRoom(alice, "lab", List.of("bob"), false);
    Path file = Files.writeString(temp.resolve("名单.txt"), "alice\nbob\n");

    ServerFrame.Message sent = rest.uploadToRoom(alice, file, lab.room(), UploadOptions.defaults());

    assertThat(sent.room()).isEqualTo(lab.room());
    assertThat(sent.file().name()).isEqualTo("名单.txt");
    Path copy = rest.download(bob, sent.file().id(), temp.resolve("copy.txt"), ProgressListener.NONE);
    assertThat(Files.readString(copy)).isEqualTo("alice\nbob\n");
    assertThatThrownBy(() -> rest.download(carol, sent.file().id(), temp.resolve("stolen.txt"), ProgressListener.NONE))
        .asInstanceOf(type(ParleyClientException.class))
        .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
  }
}
