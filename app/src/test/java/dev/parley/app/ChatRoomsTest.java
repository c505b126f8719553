package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.OwnServer;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.WsClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rooms in {@link ChatSession} against a real server, with raw WebSocket clients as the other members. */
@ParleyServerTest
@OwnServer
class ChatRoomsTest {
  private final TestUsers users;
  private final ChatUnderTest chat;

  ChatRoomsTest(TestServer server, TestUsers users) {
    this.users = users;
    this.chat = new ChatUnderTest(server, users);
  }

  @AfterEach
  void stop() {
    chat.close();
  }

  /** The room a user was just added to, from the {@code added} entry they get. */
  private static String addedTo(WsClient member) {
    return member.nextMatching(ServerFrame.Message.class, m -> m.event() != null && m.event().kind() == EventKind.ADDED).room();
  }

  @Test
  void createdRoomBecomesTheTargetAndItsMembersTalkInIt() {
    WsClient bob = chat.online("bob", true);
    ChatSession session = chat.start("alice");

    session.handle("/create lab bob");

    String lab = addedTo(bob);
    assertThat(session.target()).isEqualTo("#lab");
    chat.awaitLine("-- created #lab with 1 other");
    chat.awaitLine("[#lab] -- alice created the room #lab");
    chat.awaitLine("[#lab] -- alice added bob");

    session.handle("hello lab");
    assertThat(bob.nextMatching(ServerFrame.Message.class, m -> "hello lab".equals(m.text())).room()).isEqualTo(lab);
    chat.awaitLine("[#lab] <alice> hello lab");

    bob.send(ClientFrame.Send.toRoom("b1", lab, "hi alice"));
    chat.awaitLine("[#lab] <bob> hi alice");
    bob.send(new ClientFrame.Leave("l1", lab));
    chat.awaitLine("[#lab] -- bob left");
  }

  @Test
  void aRoomOneIsAddedToShowsByName() {
    users.create("bob");
    ChatSession session = chat.start("alice");
    WsClient bob = chat.online("bob", false);

    bob.send(new ClientFrame.CreateRoom("c1", "实验室", List.of("alice"), false));
    String room = bob.nextMatching(ServerFrame.Room.class, reply -> "c1".equals(reply.id())).room().room();

    chat.awaitLine("[#实验室] -- bob added alice");
    bob.send(ClientFrame.Send.toRoom("b1", room, "欢迎"));
    chat.awaitLine("[#实验室] <bob> 欢迎");
    assertThat(session.roomNames()).contains("#实验室");
    session.handle("/msg #实验室 谢谢");
    assertThat(bob.nextMatching(ServerFrame.Message.class, m -> "谢谢".equals(m.text())).room()).isEqualTo(room);
  }

  @Test
  void messagesArrivingInTheViewedRoomAreMarkedRead() {
    WsClient bob = chat.online("bob", true);
    ChatSession session = chat.start("alice");
    String token = users.login("alice").token();
    session.handle("/create lab bob");
    String lab = addedTo(bob);
    session.handle("/to");
    bob.send(ClientFrame.Send.toRoom("b1", lab, "not viewed"));
    chat.awaitLine("[#lab] <bob> not viewed");
    assertThat(chat.client().rooms(token)).singleElement().satisfies(room -> assertThat(room.unread()).isEqualTo(1));

    session.handle("/to #lab");
    bob.send(ClientFrame.Send.toRoom("b2", lab, "viewed"));
    chat.awaitLine("[#lab] <bob> viewed");

    await().atMost(ChatUnderTest.WAIT).untilAsserted(() ->
        assertThat(chat.client().rooms(token)).singleElement().satisfies(room -> assertThat(room.unread()).isZero()));
  }

  @Test
  void toARoomTellsItsUnreadCountAndHistoryShowsIt() {
    WsClient bob = chat.online("bob", true);
    ChatSession session = chat.start("alice");
    session.handle("/create lab bob");
    String lab = addedTo(bob);
    session.handle("/to");
    bob.send(ClientFrame.Send.toRoom("b1", lab, "one"));
    bob.send(ClientFrame.Send.toRoom("b2", lab, "two"));
    chat.awaitLine("[#lab] <bob> two");

    session.handle("/to #lab");
    chat.awaitLine("-- talking in #lab; plain lines go there (2 unread: /history shows them)");
    chat.screen.clear();
    session.handle("/history 2");

    assertThat(chat.screen).anySatisfy(line -> assertThat(line).contains("the last 2 in #lab:"));
    assertThat(chat.screen).anySatisfy(line -> assertThat(line).endsWith("[#lab] <bob> one"));
    assertThat(chat.screen).anySatisfy(line -> assertThat(line).endsWith("[#lab] <bob> two"));
    String token = users.login("alice").token();
    await().atMost(ChatUnderTest.WAIT).untilAsserted(() ->
        assertThat(chat.client().rooms(token)).singleElement().satisfies(room -> assertThat(room.unread()).isZero()));
  }

  @Test
  void roomsListsUnreadCountsAndOpenRoomsThatJoinAndLeaveUse() {
    WsClient bob = chat.online("bob", true);
    ChatSession session = chat.start("alice");
    bob.send(new ClientFrame.CreateRoom("c1", "club", List.of(), true));
    String club = bob.nextMatching(ServerFrame.Room.class, reply -> "c1".equals(reply.id())).room().room();
    session.handle("/create lab");
    session.handle("/to");

    session.handle("/rooms");
    assertThat(chat.screen).contains("your rooms:", "open rooms to /join: #club (1)");
    assertThat(chat.screen).anySatisfy(line -> assertThat(line).matches("  #lab  \\S+  1 member  0 unread"));
    assertThat(session.roomNames()).containsExactly("#lab", "#club");

    session.handle("/join #club");
    chat.awaitLine("-- joined #club (2 members)");
    assertThat(session.target()).isEqualTo("#club");
    assertThat(bob.nextMatching(ServerFrame.Message.class, m -> m.event() != null && m.event().kind() == EventKind.JOINED).room())
        .isEqualTo(club);

    session.handle("/leave");
    chat.awaitLine("-- left #club");
    assertThat(session.target()).isNull();
    assertThat(bob.nextMatching(ServerFrame.Message.class, m -> m.event() != null && m.event().kind() == EventKind.LEFT).from())
        .isEqualTo("alice");
  }

  @Test
  void beingRemovedEndsTalkingInTheRoom() {
    users.create("bob");
    ChatSession session = chat.start("alice");
    WsClient bob = chat.online("bob", false);
    bob.send(new ClientFrame.CreateRoom("c1", "lab", List.of("alice"), false));
    String lab = bob.nextMatching(ServerFrame.Room.class, reply -> "c1".equals(reply.id())).room().room();
    chat.awaitLine("[#lab] -- bob added alice");
    session.handle("/to #lab");

    bob.send(new ClientFrame.RemoveMember("r1", lab, "alice"));

    chat.awaitLine("[#lab] -- bob removed alice");
    chat.awaitLine("-- you are no longer in #lab; plain lines go nowhere now");
    assertThat(session.target()).isNull();
  }

  @Test
  void roomMistakesGetAClearMessage() {
    ChatSession session = chat.start("alice");

    session.handle("/to #nowhere");
    session.handle("/leave");
    session.handle("/join #nowhere");

    assertThat(chat.screen).anySatisfy(line -> assertThat(line).endsWith("!! you are in no room #nowhere; /rooms lists yours and the open ones"));
    assertThat(chat.screen).anySatisfy(line -> assertThat(line).endsWith("!! leave which room? /leave #ROOM, or /to #ROOM first"));
    assertThat(chat.screen).anySatisfy(line -> assertThat(line).endsWith("!! cannot join #nowhere: no room 'nowhere'"));
  }
}
