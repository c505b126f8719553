package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.RoomRole;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.OwnServer;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rooms over the HTTP API through {@link ParleyClient}, against a real server. */
@ParleyServerTest
@OwnServer
class RoomsOverHttpTest {
  private final ParleyClient rest;
  private final String alice;
  private final String bob;
  private final String carol;

  RoomsOverHttpTest(TestServer server, TestUsers users) {
    rest = new ParleyClient(server.http());
    alice = users.create("alice").token();
    bob = users.create("bob").token();
    carol = users.create("carol").token();
  }

  @AfterEach
  void stop() {
    rest.close();
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
  }
}
