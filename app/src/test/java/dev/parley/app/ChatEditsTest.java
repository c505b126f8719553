package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.NotifyLevel;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.OwnServer;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /edit}, {@code /delete}, {@code /search}, {@code /notify} and the bell in {@link ChatSession}, against a real server. */
@ParleyServerTest
@OwnServer
class ChatEditsTest {
  private final TestUsers users;
  private final ChatUnderTest chat;

  ChatEditsTest(TestServer server, TestUsers users) {
    this.users = users;
    this.chat = new ChatUnderTest(server, users);
  }

  @AfterEach
  void stop() {
    chat.close();
  }

  @Test
  void editAndDeleteMyLastMessageShowOnceAndReachTheOtherSide() {
    WsClient bob = chat.online("bob", true);
    ChatSession session = chat.start("alice");
    session.handle("/to bob");
    session.handle("helo bob");
    long seq = bob.nextMatching(ServerFrame.Message.class, m -> "helo bob".equals(m.text())).seq();
    chat.awaitLine("-> bob: helo bob");

    session.handle("/edit hello bob");

    ServerFrame.Message edit = bob.nextMatching(ServerFrame.Message.class, m -> m.edits() != null);
    assertThat(edit.edits()).isEqualTo(seq);
    assertThat(edit.text()).isEqualTo("hello bob");
    chat.awaitLine("-> bob: hello bob (edited)");

    session.handle("/delete");
    chat.awaitLine("-- delete your message #" + seq + " \"hello bob\"? y deletes it, anything else keeps it");
    assertThat(session.prompt()).isEqualTo("delete #" + seq + "? [y/N] ");
    session.handle("y");

    assertThat(bob.nextMatching(ServerFrame.Message.class, m -> m.deletes() != null).deletes()).isEqualTo(seq);
    chat.awaitLine("-> bob: message deleted");
    assertThat(session.prompt()).isEqualTo("[bob] > ");
    chat.screen.clear();
    session.handle("/history 1");
    assertThat(chat.screen).anySatisfy(line -> assertThat(line).endsWith("#" + seq + " -> bob: message deleted"));
  }

  @Test
  void othersEditsAndDeletesShowAsTheyArrive() {
    users.create("bob");
    ChatSession session = chat.start("alice");
    WsClient bob = chat.online("bob", false);
    long seq = bob.sendMessage("m1", "alice", "meet at 3").seq();
    chat.awaitLine("<bob> meet at 3");

    bob.send(new ClientFrame.Edit("e1", seq, "meet at 4"));
    chat.awaitLine("<bob> meet at 4 (edited)");
    bob.send(new ClientFrame.Delete("d1", seq));
    chat.awaitLine("<bob> message deleted");
  }

  @Test
  void editingByNumberRefusesOthersMessagesAndANoKeepsTheMessage() {
    users.create("bob");
    ChatSession session = chat.start("alice");
    WsClient bob = chat.online("bob", false);
    long his = bob.sendMessage("m1", "alice", "bob's words").seq();
    chat.awaitLine("<bob> bob's words");
    session.handle("/to bob");
    session.handle("mine");
    long mine = bob.nextMatching(ServerFrame.Message.class, m -> "mine".equals(m.text())).seq();

    session.handle("/edit #" + his + " not yours");
    chat.awaitLine("!! #" + his + " is not yours: only the sender can edit or delete a message");
    session.handle("/delete " + mine);
    session.handle("n");
    chat.awaitLine("-- kept #" + mine);
    session.handle("/edit #" + mine + " still mine");
    chat.awaitLine("-> bob: still mine (edited)");
    session.handle("/to");
    session.handle("/edit x");
    chat.awaitLine("!! edit in which conversation? /to NAME or /to #ROOM first");

    assertThat(chat.client().messages(users.login("alice").token(), "bob", null, null))
        .extracting(ServerFrame.Message::text).containsExactly("bob's words", "still mine");
  }

  @Test
  void searchLooksInTheOpenConversationOrEverywhere() {
    users.create("bob");
    ChatSession session = chat.start("alice");
    WsClient bob = chat.online("bob", false);
    long direct = bob.sendMessage("m1", "alice", "周报告在这里").seq();
    chat.awaitLine("<bob> 周报告在这里");
    session.handle("/create lab bob");
    String lab = bob.nextMatching(ServerFrame.Message.class, m -> m.event() != null && m.event().kind() == EventKind.ADDED).room();
    long inLab = bob.sendRoomMessage("b1", lab, "报告 for the lab");
    chat.awaitLine("[#lab] <bob> 报告 for the lab");
    chat.screen.clear();

    session.handle("/search 报告");
    assertThat(chat.screen.getFirst()).endsWith("-- 1 message matches \"报告\" in #lab, oldest first:");
    assertThat(chat.screen.get(1)).endsWith("#" + inLab + " [#lab] <bob> 报告 for the lab");
    chat.screen.clear();

    session.handle("/search -a 报告");
    assertThat(chat.screen).hasSize(3);
    assertThat(chat.screen.get(0)).endsWith("-- 2 newest messages matching \"报告\" in all your conversations, oldest first:");
    assertThat(chat.screen.get(1)).endsWith("#" + direct + " <bob> 周报告在这里");
    assertThat(chat.screen.get(2)).endsWith("#" + inLab + " [#lab] <bob> 报告 for the lab");
  }

  @Test
  void theBellRingsForOthersDirectMessagesAndMentionsAsNotifyAllows() {
    WsClient bob = chat.online("bob", true);
    ChatSession session = chat.start("alice");
    session.handle("/create lab bob");
    String lab = bob.nextMatching(ServerFrame.Message.class, m -> m.event() != null && m.event().kind() == EventKind.ADDED).room();
    session.handle("/to bob");
    session.handle("my own words");
    chat.awaitLine("-> bob: my own words");
    bob.send(ClientFrame.Send.toRoom("b1", lab, "no mention here"));
    chat.awaitLine("[#lab] <bob> no mention here");
    assertThat(chat.bells).hasValue(0);

    bob.sendMessage("m1", "alice", "direct");
    chat.awaitLine("<bob> direct");
    await().atMost(ChatUnderTest.WAIT).untilAsserted(() -> assertThat(chat.bells).hasValue(1));
    bob.send(ClientFrame.Send.toRoom("b2", lab, "over to you @Alice"));
    chat.awaitLine("[#lab] <bob> over to you @Alice");
    await().atMost(ChatUnderTest.WAIT).untilAsserted(() -> assertThat(chat.bells).hasValue(2));

    session.handle("/to #lab");
    session.handle("/notify none");
    chat.awaitLine("-- notify none: the bell never rings here");
    bob.send(ClientFrame.Send.toRoom("b3", lab, "@alice again"));
    chat.awaitLine("[#lab] <bob> @alice again");
    bob.sendMessage("m2", "alice", "direct again");
    chat.awaitLine("<bob> direct again");
    await().atMost(ChatUnderTest.WAIT).untilAsserted(() -> assertThat(chat.bells).hasValue(3));
    assertThat(chat.client().conversations(users.login("alice").token()))
        .filteredOn(c -> lab.equals(c.room())).singleElement()
        .satisfies(c -> assertThat(c.notifyLevel()).isEqualTo(NotifyLevel.NONE));
  }
}
