package dev.parley.server.rooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.RoomRole;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.ServerSetting;
import dev.parley.server.testing.SharedServerTest;
import dev.parley.server.testing.TestUser;
import dev.parley.server.testing.Transport;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ServerSetting(key = "max-room-members", value = "4")
class RoomsTest extends SharedServerTest {
  /** The reply to the request: the next frame of the type that echoes its id. */
  private static <T extends ServerFrame> T reply(FrameClient client, ClientFrame request, Class<T> type) {
    client.send(request);
    return client.nextMatching(type, frame -> request.id().equals(idOf(frame)));
  }

  private static String idOf(ServerFrame frame) {
    return switch (frame) {
      case ServerFrame.Room r -> r.id();
      case ServerFrame.Rooms r -> r.id();
      case ServerFrame.RoomDirectory r -> r.id();
      case ServerFrame.Left r -> r.id();
      case ServerFrame.Read r -> r.id();
      case ServerFrame.History r -> r.id();
      case ServerFrame.Conversations r -> r.id();
      default -> null;
    };
  }

  private static ServerFrame.RoomInfo create(FrameClient owner, String name, boolean open, String... members) {
    owner.send(new ClientFrame.CreateRoom("c", name, List.of(members), open));
    return owner.nextMatching(ServerFrame.Room.class, r -> "c".equals(r.id())).room();
  }

  private static ServerFrame.Message roomMessage(FrameClient client) {
    return client.nextMatching(ServerFrame.Message.class, m -> m.room() != null && m.text() != null);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void everyConnectionOfEveryMemberGetsARoomMessage(Transport transport) {
    TestUser alice = user("alice");
    TestUser bob = user("bob");
    TestUser carol = user("张");
    try (FrameClient a = transport.connect(server, alice.token(), null);
        FrameClient b1 = transport.connect(server, bob.token(), null);
        FrameClient b2 = transport.connect(server, users.login(bob.username()).token(), null);
        FrameClient c = transport.connect(server, carol.token(), null)) {
      ServerFrame.RoomInfo room = create(a, "实验室 🧪", false, bob.username(), carol.username());

      assertThat(room.name()).isEqualTo("实验室 🧪");
      assertThat(room.open()).isFalse();
      assertThat(room.members()).containsExactly(
          new ServerFrame.Member(alice.username(), RoomRole.OWNER),
          new ServerFrame.Member(bob.username(), RoomRole.MEMBER),
          new ServerFrame.Member(carol.username(), RoomRole.MEMBER));
      ServerFrame.Message added = c.nextMatching(ServerFrame.Message.class, m -> m.event() != null);
      assertThat(added.room()).isEqualTo(room.room());
      assertThat(added.from()).isEqualTo(alice.username());
      assertThat(added.event()).isEqualTo(new ServerFrame.Event(EventKind.ADDED, carol.username(), null));

      b1.send(ClientFrame.Send.toRoom("r1", room.room(), "大家好"));
      ServerFrame.Ack ack = b1.nextMatching(ServerFrame.Ack.class, x -> x.id().equals("r1"));
      ServerFrame.Message expected =
          new ServerFrame.Message(ack.seq(), room.room(), bob.username(), null, "大家好", null, null, ack.ts());
      assertThat(roomMessage(a)).isEqualTo(expected);
      assertThat(roomMessage(c)).isEqualTo(expected);
      assertThat(roomMessage(b2)).isEqualTo(expected);
    }
  }

  @Test
  void nonMembersCannotSeeReadOrPostInAPrivateRoom() {
    TestUser alice = user("alice");
    TestUser dave = user("dave");
    try (FrameClient a = connect(alice); FrameClient d = connect(dave)) {
      String room = create(a, "secret", false).room();
      for (ClientFrame request : List.of(
          ClientFrame.Send.toRoom("x1", room, "hi"),
          new ClientFrame.History("x2", null, room, null, null),
          new ClientFrame.Room("x3", room),
          new ClientFrame.Join("x4", room),
          new ClientFrame.Typing("x5", room, null),
          new ClientFrame.Read("x6", room, null, 1L),
          new ClientFrame.AddMembers("x7", room, List.of(dave.username())),
          new ClientFrame.Leave("x8", room))) {
        ServerFrame.Error refused = error(d, request);
        assertThat(refused.code()).as(request.toString()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(refused.message()).isEqualTo("no room '" + room + "'");
      }
      assertThat(error(d, new ClientFrame.Room("x9", "nosuchroom")).message()).isEqualTo("no room 'nosuchroom'");
    }
  }

  @Test
  void nonMembersOfAnOpenRoomMayJoinButNotReadOrPostBefore() {
    TestUser alice = user("alice");
    TestUser dave = user("dave");
    try (FrameClient a = connect(alice); FrameClient d = connect(dave)) {
      String lobby = unique("lobby ");
      String room = create(a, lobby, true).room();
      assertThat(error(d, ClientFrame.Send.toRoom("x1", room, "hi")).code()).isEqualTo(ErrorCode.FORBIDDEN);
      assertThat(error(d, new ClientFrame.History("x2", null, room, null, null)).code()).isEqualTo(ErrorCode.FORBIDDEN);
      assertThat(reply(d, new ClientFrame.RoomDirectory("dir"), ServerFrame.RoomDirectory.class).rooms())
          .contains(new ServerFrame.DirectoryEntry(room, lobby, 1));

      ServerFrame.RoomInfo joined = reply(d, new ClientFrame.Join("j", room), ServerFrame.Room.class).room();

      assertThat(joined.members()).extracting(ServerFrame.Member::username).containsExactly(alice.username(), dave.username());
      assertThat(a.nextMatching(ServerFrame.Message.class, m -> m.event() != null).event().kind()).isEqualTo(EventKind.JOINED);
      d.send(ClientFrame.Send.toRoom("s", room, "hello"));
      assertThat(roomMessage(a).text()).isEqualTo("hello");
      assertThat(reply(d, new ClientFrame.Rooms("r"), ServerFrame.Rooms.class).rooms())
          .extracting(ServerFrame.RoomSummary::room, ServerFrame.RoomSummary::role, ServerFrame.RoomSummary::members)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(room, RoomRole.MEMBER, 2));
    }
  }

  @Test
  void onlyOwnersAndAdminsManageAPrivateRoom() {
    TestUser alice = user("alice");
    TestUser bob = user("bob");
    TestUser carol = user("carol");
    try (FrameClient a = connect(alice); FrameClient b = connect(bob)) {
      String room = create(a, "team", false, bob.username(), carol.username()).room();
      b.nextMatching(ServerFrame.Message.class, m -> m.event() != null && m.event().user().equals(carol.username()));
      for (ClientFrame request : List.of(
          new ClientFrame.RemoveMember("f1", room, carol.username()),
          new ClientFrame.RenameRoom("f2", room, "mine"),
          new ClientFrame.AddMembers("f3", room, List.of(alice.username(), "nobody-at-all")),
          new ClientFrame.RemoveMember("f4", room, alice.username()))) {
        ServerFrame.Error refused = error(b, request);
        assertThat(refused.code()).as(request.toString()).isEqualTo(ErrorCode.FORBIDDEN);
      }
      assertThat(error(a, new ClientFrame.RemoveMember("f5", room, alice.username())).message()).isEqualTo("use leave to leave a room");
      assertThat(error(a, new ClientFrame.RenameRoom("f6", room, " ")).code()).isEqualTo(ErrorCode.BAD_REQUEST);
      assertThat(error(a, new ClientFrame.RenameRoom("f7", room, "x".repeat(65))).message())
          .isEqualTo("room name must have 1 to 64 characters");

      ServerFrame.RoomInfo renamed = reply(a, new ClientFrame.RenameRoom("ok", room, "队".repeat(64)), ServerFrame.Room.class).room();

      assertThat(renamed.name()).isEqualTo("队".repeat(64));
      assertThat(b.nextMatching(ServerFrame.Message.class, m -> m.event() != null).event())
          .isEqualTo(new ServerFrame.Event(EventKind.RENAMED, null, "队".repeat(64)));
    }
  }

  @Test
  void aRemovedMemberGetsTheRemovalAndNothingAfterIt() {
    TestUser alice = user("alice");
    TestUser bob = user("bob");
    try (FrameClient a = connect(alice); FrameClient b = connect(bob)) {
      String room = create(a, "team", false, bob.username()).room();
      b.nextMatching(ServerFrame.Message.class, m -> m.event() != null);

      reply(a, new ClientFrame.RemoveMember("rm", room, bob.username()), ServerFrame.Room.class);
      a.sendMessage("after", bob.username(), "marker");
      a.send(ClientFrame.Send.toRoom("secret", room, "not for bob"));
      a.nextMatching(ServerFrame.Ack.class, x -> x.id().equals("secret"));
      a.sendMessage("after2", bob.username(), "marker 2");

      ServerFrame.Message removal = b.next(ServerFrame.Message.class);
      assertThat(removal.event()).isEqualTo(new ServerFrame.Event(EventKind.REMOVED, bob.username(), null));
      assertThat(b.next(ServerFrame.Message.class).text()).isEqualTo("marker");
      assertThat(b.next(ServerFrame.Message.class).text()).isEqualTo("marker 2");
      assertThat(error(b, ClientFrame.Send.toRoom("x", room, "back?")).code()).isEqualTo(ErrorCode.NOT_FOUND);
    }
    try (FrameClient replay = Transport.TCP.connect(server, bob.token(), 0L)) {
      assertThat(List.of(replay.next(ServerFrame.Message.class), replay.next(ServerFrame.Message.class),
              replay.next(ServerFrame.Message.class), replay.next(ServerFrame.Message.class)))
          .as("replay since 0: the room up to the removal, and the direct messages")
          .extracting(m -> m.event() == null ? m.text() : m.event().kind().wireName())
          .containsExactly("added", "removed", "marker", "marker 2");
    }
  }

  @Test
  void historyAndReplayCarryMembershipEntriesUpToLeaving() {
    TestUser alice = user("alice");
    TestUser bob = user("bob");
    String room;
    try (FrameClient a = connect(alice); FrameClient b = connect(bob)) {
      room = create(a, "history", false, bob.username()).room();
      a.send(ClientFrame.Send.toRoom("m1", room, "one"));
      a.nextMatching(ServerFrame.Ack.class, x -> x.id().equals("m1"));
      assertThat(reply(b, new ClientFrame.Leave("l", room), ServerFrame.Left.class)).isEqualTo(new ServerFrame.Left("l", room));
      a.send(ClientFrame.Send.toRoom("m2", room, "two"));
      a.nextMatching(ServerFrame.Ack.class, x -> x.id().equals("m2"));

      List<ServerFrame.Message> history =
          reply(a, new ClientFrame.History("h", null, room, null, null), ServerFrame.History.class).messages();
      assertThat(history).extracting(m -> m.event() == null ? m.text() : m.event().kind().wireName())
          .containsExactly("created", "added", "one", "left", "two");
      assertThat(history.getFirst().event().name()).isEqualTo("history");
    }
    try (FrameClient replay = Transport.TCP.connect(server, bob.token(), 0L); FrameClient a = connect(alice)) {
      ServerFrame.Message added = replay.next(ServerFrame.Message.class);
      assertThat(added.event().kind()).isEqualTo(EventKind.ADDED);
      assertThat(replay.next(ServerFrame.Message.class).text()).isEqualTo("one");
      assertThat(replay.next(ServerFrame.Message.class).event().kind()).isEqualTo(EventKind.LEFT);
      a.sendMessage("marker", bob.username(), "marker");
      assertThat(replay.next(ServerFrame.Message.class).text()).as("nothing of the room after leaving").isEqualTo("marker");
    }
  }

  @Test
  void undeliveredRoomMessagesArriveOnTheNextLoginWithoutSince() {
    TestUser alice = user("alice");
    TestUser bob = user("bob");
    String room;
    try (FrameClient a = connect(alice)) {
      room = create(a, "offline", false, bob.username()).room();
      a.send(ClientFrame.Send.toRoom("m1", room, "while you were out"));
      a.nextMatching(ServerFrame.Ack.class, x -> x.id().equals("m1"));
    }
    try (FrameClient b = connect(bob)) {
      assertThat(b.next(ServerFrame.Message.class).event().kind()).isEqualTo(EventKind.ADDED);
      assertThat(b.next(ServerFrame.Message.class).text()).isEqualTo("while you were out");
    }
    // Delivery cursors are committed with the writer's next batch; once they are, nothing comes again.
    await().untilAsserted(() -> {
      try (FrameClient again = connect(bob); FrameClient a = connect(alice)) {
        a.sendMessage("marker" + System.nanoTime(), bob.username(), "marker");
        assertThat(again.next(ServerFrame.Message.class).text()).as("delivered once, not again").isEqualTo("marker");
      }
    });
  }

  @Test
  void aReplayFromASinceAboveTheDeliveryCursorLeavesWhatItSkippedUndelivered() {
    TestUser alice = user("alice");
    TestUser bob = user("bob");
    long first;
    try (FrameClient a = connect(alice)) {
      first = a.sendMessage("m1", bob.username(), "one").seq();
      a.sendMessage("m2", bob.username(), "two");
    }
    try (FrameClient b = Transport.TCP.connect(server, bob.token(), first)) {
      assertThat(b.next(ServerFrame.Message.class).text()).isEqualTo("two");
    }
    try (FrameClient b = connect(bob)) {
      assertThat(b.next(ServerFrame.Message.class).text()).as("never delivered: still comes").isEqualTo("one");
      assertThat(b.next(ServerFrame.Message.class).text()).as("at least once").isEqualTo("two");
    }
  }

  @Test
  void readCursorsMoveForwardOnlyAndSyncAcrossConnections() {
    TestUser alice = user("alice");
    TestUser bob = user("bob");
    try (FrameClient a = connect(alice);
        FrameClient b1 = connect(bob);
        FrameClient b2 = Transport.WEBSOCKET.connect(server, users.login(bob.username()).token(), null)) {
      String room = create(a, "reads", false, bob.username()).room();
      long first = a.sendRoomMessage("m1", room, "one");
      long second = a.sendRoomMessage("m2", room, "two");
      a.sendMessage("d1", bob.username(), "direct");
      await().untilAsserted(() -> assertThat(conversations(b1))
          .extracting(ServerFrame.Conversation::unread).containsExactly(1L, 3L));

      assertThat(reply(b1, new ClientFrame.Read("r", room, null, first), ServerFrame.Read.class))
          .isEqualTo(new ServerFrame.Read("r", room, null, first));
      assertThat(conversations(b1)).as("the reply comes once the cursor is stored")
          .extracting(ServerFrame.Conversation::unread).containsExactly(1L, 1L);
      assertThat(b2.nextMatching(ServerFrame.Read.class, r -> true)).isEqualTo(new ServerFrame.Read(null, room, null, first));
      assertThat(reply(b2, new ClientFrame.Read("back", room, null, 1L), ServerFrame.Read.class))
          .as("never backwards").isEqualTo(new ServerFrame.Read("back", room, null, first));
      assertThat(reply(b2, new ClientFrame.Read("all", room, null, Long.MAX_VALUE), ServerFrame.Read.class).seq()).isEqualTo(second);
      assertThat(reply(b1, new ClientFrame.Read("d", null, alice.username(), Long.MAX_VALUE), ServerFrame.Read.class).with())
          .isEqualTo(alice.username());

      assertThat(conversations(b1)).extracting(ServerFrame.Conversation::unread).containsExactly(0L, 0L);
      List<ServerFrame.Conversation> list = conversations(b2);
      assertThat(list.get(0).with()).isEqualTo(alice.username());
      assertThat(list.get(0).last().text()).isEqualTo("direct");
      assertThat(list.get(1).room()).isEqualTo(room);
      assertThat(list.get(1).name()).isEqualTo("reads");
      assertThat(list.get(1).lastSeq()).isEqualTo(second);
      assertThat(conversations(a)).extracting(ServerFrame.Conversation::unread).as("own messages are read").containsExactly(0L, 0L);
    }
  }

  private static List<ServerFrame.Conversation> conversations(FrameClient client) {
    return reply(client, new ClientFrame.Conversations("cv"), ServerFrame.Conversations.class).conversations();
  }

  @Test
  void typingIsRelayedToOtherMembersAtMostEveryTwoSeconds() {
    TestUser alice = user("alice");
    TestUser bob = user("bob");
    try (FrameClient a = connect(alice); FrameClient b = connect(bob)) {
      String room = create(a, "typing", false, bob.username()).room();
      b.send(new ClientFrame.Typing(null, room, null));
      assertThat(a.nextMatching(ServerFrame.Typing.class, t -> true)).isEqualTo(new ServerFrame.Typing(room, bob.username()));
      b.send(new ClientFrame.Typing(null, null, alice.username()));
      assertThat(a.nextMatching(ServerFrame.Typing.class, t -> true)).isEqualTo(new ServerFrame.Typing(null, bob.username()));

      b.send(new ClientFrame.Typing(null, room, null));
      b.sendMessage("marker", alice.username(), "marker");

      List<ServerFrame> beforeMarker = new java.util.ArrayList<>();
      for (ServerFrame frame = a.next(); !(frame instanceof ServerFrame.Message m && "marker".equals(m.text())); frame = a.next()) {
        beforeMarker.add(frame);
      }
      assertThat(beforeMarker).as("a second typing within 2 s is dropped").noneMatch(ServerFrame.Typing.class::isInstance);
      assertThat(b.drain()).as("never to the typist").noneMatch(ServerFrame.Typing.class::isInstance);
    }
  }

  @Test
  void anOwnerWhoLeavesHandsTheRoomToTheMemberWhoJoinedFirst() {
    TestUser alice = user("alice");
    TestUser bob = user("bob");
    TestUser carol = user("carol");
    try (FrameClient a = connect(alice); FrameClient b = connect(bob)) {
      String room = create(a, "handover", false, bob.username(), carol.username()).room();
      reply(a, new ClientFrame.Leave("l", room), ServerFrame.Left.class);

      ServerFrame.RoomInfo info = reply(b, new ClientFrame.Room("r", room), ServerFrame.Room.class).room();
      assertThat(info.members()).containsExactly(
          new ServerFrame.Member(bob.username(), RoomRole.OWNER), new ServerFrame.Member(carol.username(), RoomRole.MEMBER));
      assertThat(reply(b, new ClientFrame.Rooms("rs"), ServerFrame.Rooms.class).rooms().getFirst().role()).isEqualTo(RoomRole.OWNER);
      assertThat(error(a, new ClientFrame.Room("gone", room)).code()).as("private, and alice left").isEqualTo(ErrorCode.NOT_FOUND);
      assertThat(reply(a, new ClientFrame.Rooms("mine"), ServerFrame.Rooms.class).rooms()).isEmpty();
    }
  }

  @Test
  void aNewUserIsAnnouncedToEveryConnection() {
    TestUser alice = user("alice");
    try (FrameClient a = connect(alice)) {
      TestUser newcomer = user("new");
      assertThat(a.nextMatching(ServerFrame.User.class, u -> u.username().equals(newcomer.username())))
          .isEqualTo(new ServerFrame.User(newcomer.username(), false));
    }
  }

  @Test
  void aRoomHasAtMostMaxRoomMembers() {
    TestUser alice = user("alice");
    List<TestUser> others = List.of(user("m"), user("m"), user("m"), user("m"));
    try (FrameClient a = connect(alice)) {
      ServerFrame.Error refused = error(a, new ClientFrame.CreateRoom("big", "big", others.stream().map(TestUser::username).toList(), false));
      assertThat(refused.code()).isEqualTo(ErrorCode.TOO_LARGE);
      assertThat(refused.message()).isEqualTo("a room has at most 4 members");
      String room = create(a, "fits", false, others.get(0).username(), others.get(1).username(), others.get(2).username()).room();
      assertThat(error(a, new ClientFrame.AddMembers("more", room, List.of(others.get(3).username()))).code())
          .isEqualTo(ErrorCode.TOO_LARGE);
      assertThat(error(a, new ClientFrame.CreateRoom("nobody", "x", List.of("no-such-user-here"), false)).message())
          .isEqualTo("no user 'no-such-user-here'");
    }
  }
}
