package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.InstanceOfAssertFactories.type;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.NotifyLevel;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.OwnServer;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rooms, read cursors, conversations, search, edit, delete and notification levels through
 * {@link ParleyConnection} and {@link ParleyClient}, against a real server.
 */
@ParleyServerTest
@OwnServer
class RoomsTest extends ThreeUsersTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<ParleyConnection> opened = new CopyOnWriteArrayList<>();

  RoomsTest(TestServer server, TestUsers users) {
    super(server, users);
  }

  /** Runs before the base class closes the REST client. */
  @AfterEach
  void closeConnections() {
    opened.forEach(ParleyConnection::close);
  }

  private ParleyConnection connect(String token, Inbox inbox) {
    ParleyConnection connection = ParleyConnection.connect(server.http(), token, null, inbox.frames::add);
    opened.add(connection);
    return connection;
  }

  private static <T> T join(CompletableFuture<T> reply) {
    return reply.orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  @Test
  void roomFramesCompleteWithTheirRepliesAndMembersGetTheRoomsMessages() {
    Inbox bobInbox = new Inbox();
    ParleyConnection aliceLive = connect(alice, new Inbox());
    ParleyConnection bobLive = connect(bob, bobInbox);

    ServerFrame.RoomInfo lab = join(aliceLive.createRoom("lab", List.of(), false));
    assertThat(join(aliceLive.addMembers(lab.room(), List.of("bob", "carol"))).members())
        .extracting(ServerFrame.Member::username)
        .containsExactly("alice", "bob", "carol");
    ServerFrame.Ack ack = join(aliceLive.sendToRoom(lab.room(), "hello lab"));

    await().atMost(WAIT).until(() -> bobInbox.roomMessages(lab.room()).stream().anyMatch(m -> "hello lab".equals(m.text())));
    assertThat(bobInbox.roomMessages(lab.room()).getLast())
        .isEqualTo(new ServerFrame.Message(ack.seq(), lab.room(), "alice", null, "hello lab", null, null, ack.ts()));
    assertThat(join(aliceLive.renameRoom(lab.room(), "lab 2")).name()).isEqualTo("lab 2");
    assertThat(join(bobLive.room(lab.room())).name()).isEqualTo("lab 2");
    assertThat(join(bobLive.rooms())).extracting(ServerFrame.RoomSummary::name).containsExactly("lab 2");
    assertThat(join(aliceLive.removeMember(lab.room(), "carol")).members()).extracting(ServerFrame.Member::username)
        .containsExactly("alice", "bob");
    assertThat(join(bobLive.leave(lab.room()))).isEqualTo(lab.room());
    assertThat(join(bobLive.rooms())).isEmpty();
    assertThat(bobInbox.all(ServerFrame.Room.class)).isEmpty(); // replies went to the futures, not the listener
  }

  @Test
  void openRoomsAreInTheDirectoryAndAnyoneMayJoin() {
    ParleyConnection aliceLive = connect(alice, new Inbox());
    ParleyConnection carolLive = connect(carol, new Inbox());
    ServerFrame.RoomInfo club = join(aliceLive.createRoom("club", List.of(), true));
    join(aliceLive.createRoom("secret", List.of(), false));

    assertThat(join(carolLive.roomDirectory())).containsExactly(new ServerFrame.DirectoryEntry(club.room(), "club", 1));
    assertThat(join(carolLive.join(club.room())).members()).extracting(ServerFrame.Member::username)
        .containsExactly("alice", "carol");
    assertThat(join(carolLive.conversations())).extracting(ServerFrame.Conversation::room).containsExactly(club.room());
  }

  @Test
  void refusalsFailTheRequestWithTheProtocolsCode() {
    ParleyConnection aliceLive = connect(alice, new Inbox());
    ParleyConnection carolLive = connect(carol, new Inbox());
    ServerFrame.RoomInfo lab = join(aliceLive.createRoom("lab", List.of("bob", "carol"), false));
    ServerFrame.RoomInfo secret = join(aliceLive.createRoom("secret", List.of(), false));

    assertThatThrownBy(() -> join(carolLive.removeMember(lab.room(), "bob")))
        .cause()
        .asInstanceOf(type(ParleyClientException.class))
        .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
    assertThatThrownBy(() -> join(carolLive.sendToRoom(secret.room(), "let me in")))
        .cause()
        .asInstanceOf(type(ParleyClientException.class))
        .satisfies(e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
          assertThat(e.getMessage()).isEqualTo("no room '" + secret.room() + "'");
        });
  }

  @Test
  void readingOnOneConnectionMovesTheCursorAndTellsTheOthers() {
    ParleyConnection aliceLive = connect(alice, new Inbox());
    ServerFrame.RoomInfo lab = join(aliceLive.createRoom("lab", List.of("bob"), false));
    ServerFrame.Ack ack = join(aliceLive.sendToRoom(lab.room(), "unread for bob"));
    Inbox otherDevice = new Inbox();
    ParleyConnection phone = connect(bob, new Inbox());
    connect(bob, otherDevice);
    assertThat(join(phone.rooms())).singleElement().satisfies(room -> assertThat(room.unread()).isPositive());

    assertThat(join(phone.readRoom(lab.room(), ack.seq()))).isEqualTo(ack.seq());
    assertThat(join(phone.readRoom(lab.room(), 1))).isEqualTo(ack.seq()); // it never moves back

    await().atMost(WAIT).until(() -> !otherDevice.all(ServerFrame.Read.class).isEmpty());
    assertThat(otherDevice.all(ServerFrame.Read.class)).containsExactly(new ServerFrame.Read(null, lab.room(), null, ack.seq()));
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(join(phone.rooms())).singleElement().satisfies(room -> assertThat(room.unread()).isZero()));
    ServerFrame.Ack direct = join(aliceLive.sendMessage("bob", "direct"));
    assertThat(join(phone.conversations())).extracting(ServerFrame.Conversation::with, ServerFrame.Conversation::unread)
        .contains(tuple("alice", 1L));
    assertThat(join(phone.readDirect("alice", direct.seq()))).isEqualTo(direct.seq());
    // Eventually: the server answers read before its batched cursor write is visible to conversations.
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(join(phone.conversations())).allSatisfy(conversation -> assertThat(conversation.unread()).isZero()));
  }

  @Test
  void typingInARoomReachesTheOtherMembers() {
    Inbox bobInbox = new Inbox();
    ParleyConnection aliceLive = connect(alice, new Inbox());
    connect(bob, bobInbox);
    ServerFrame.RoomInfo lab = join(aliceLive.createRoom("lab", List.of("bob"), false));

    aliceLive.typingInRoom(lab.room());

    await().atMost(WAIT).until(() -> !bobInbox.all(ServerFrame.Typing.class).isEmpty());
    assertThat(bobInbox.all(ServerFrame.Typing.class)).containsExactly(new ServerFrame.Typing(lab.room(), "alice"));
  }

  @Test
  void searchEditDeleteAndNotifyCompleteWithTheirReplies() {
    Inbox bobInbox = new Inbox();
    ParleyConnection aliceLive = connect(alice, new Inbox());
    connect(bob, bobInbox);

    long seq = join(aliceLive.sendMessage("bob", "周五的会议纪要")).seq();
    long other = join(aliceLive.sendMessage("bob", "to delete")).seq();
    assertThat(join(aliceLive.search("会议纪要", null, "bob", null, null))).extracting(ServerFrame.Message::seq).containsExactly(seq);
    assertThat(rest.search(bob, "会议", null, "alice", null, 5)).extracting(ServerFrame.Message::seq).containsExactly(seq);

    ServerFrame.Ack edited = join(aliceLive.edit("e1", seq, "周六的会议纪要"));
    ServerFrame.Ack deleted = join(aliceLive.delete("d1", other));
    await().atMost(WAIT).untilAsserted(() -> assertThat(bobInbox.messages())
        .anyMatch(m -> m.seq() == edited.seq() && Long.valueOf(seq).equals(m.edits()))
        .anyMatch(m -> m.seq() == deleted.seq() && Long.valueOf(other).equals(m.deletes())));
    assertThat(rest.search(bob, "周六", null, null, null, null)).singleElement()
        .satisfies(hit -> assertThat(hit.edited()).isTrue());
    assertThatThrownBy(() -> join(aliceLive.delete("d2", other))).hasCauseInstanceOf(ParleyClientException.class)
        .cause().satisfies(e -> assertThat(((ParleyClientException) e).code()).isEqualTo(ErrorCode.GONE));

    assertThat(join(aliceLive.notifyLevel(null, "bob", NotifyLevel.MENTIONS))).isEqualTo(NotifyLevel.MENTIONS);
    assertThat(rest.conversations(alice)).singleElement()
        .satisfies(c -> assertThat(c.notifyLevel()).isEqualTo(NotifyLevel.MENTIONS));
  }
}
