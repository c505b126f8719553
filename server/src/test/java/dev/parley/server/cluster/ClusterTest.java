package dev.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ByeReason;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.NotifyLevel;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.admin.OperatorAccounts;
import dev.parley.server.testing.FaultyMessageStore;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.TestDatabase;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUser;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several real nodes in one JVM sharing one real PostgreSQL database, joined by the real
 * nats-server on 127.0.0.1:4222 ({@code ./run-tests} starts one, bin/ensure-nats), on a subject of
 * this class's own. Nodes A and B share the bus; node C listens on another subject, so it hears
 * nothing A and B publish: every message from them reaches C only through its gap recovery from
 * the database, which is what a lost bus message costs.
 */
class ClusterTest {
  private static final String NATS = "nats://127.0.0.1:4222";
  private static TestDatabase database;
  private static TestServer a;
  private static TestServer b;
  private static TestServer c;
  private static String subject;

  @BeforeAll
  static void startNodes() {
    database = TestDatabase.create();
    subject = "parley-test-" + UUID.randomUUID().toString().substring(0, 8);
    a = node("node-a", subject);
    b = node("node-b", subject);
    c = node("node-c", subject + "-deaf");
  }

  @AfterAll
  static void stopNodes() {
    for (TestServer node : new TestServer[] {c, b, a}) {
      if (node != null) {
        node.close();
      }
    }
    database.close();
  }

  private static TestServer node(String id, String subject) {
    return TestServer.start(settings(id, subject));
  }

  private static Map<String, Object> settings(String id, String subject) {
    return Map.of("database", database.url(), "bus", NATS, "bus-subject", subject, "node-id", id);
  }

  @Test
  void usersOnDifferentNodesChatDirectlyAndASecondConnectionOnAnotherNodeGetsTheCopy() {
    TestUser ada = new TestUsers(a).create("ada");
    TestUser bo = new TestUsers(b).create("bo");
    TestUser adaPhone = new TestUsers(b).login("ada");
    try (FrameClient adaOnA = Transport.TCP.connect(a, ada.token(), null);
        FrameClient adaOnB = Transport.WEBSOCKET.connect(b, adaPhone.token(), null);
        FrameClient boOnB = Transport.TCP.connect(b, bo.token(), null)) {
      ServerFrame.Ack sent = adaOnA.sendMessage("m1", "bo", "你好, bo");

      ServerFrame.Message got = boOnB.nextMatching(ServerFrame.Message.class, m -> m.seq() == sent.seq());
      assertThat(got.from()).isEqualTo("ada");
      assertThat(got.text()).isEqualTo("你好, bo");
      assertThat(adaOnB.nextMatching(ServerFrame.Message.class, m -> m.seq() == sent.seq()).text()).isEqualTo("你好, bo");

      ServerFrame.Ack reply = boOnB.sendMessage("r1", "ada", "hi ada");
      assertThat(adaOnA.nextMatching(ServerFrame.Message.class, m -> m.seq() == reply.seq()).from()).isEqualTo("bo");
      assertThat(adaOnB.nextMatching(ServerFrame.Message.class, m -> m.seq() == reply.seq()).from()).isEqualTo("bo");
    }
  }

  @Test
  void roomsWorkAcrossNodesAndMembershipChangesReachTheOtherNode() {
    TestUser cy = new TestUsers(a).create("cy");
    TestUser di = new TestUsers(b).create("di");
    TestUser ed = new TestUsers(b).create("ed");
    try (FrameClient cyOnA = Transport.TCP.connect(a, cy.token(), null);
        FrameClient diOnB = Transport.TCP.connect(b, di.token(), null);
        FrameClient edOnB = Transport.WEBSOCKET.connect(b, ed.token(), null)) {
      cyOnA.send(new ClientFrame.CreateRoom("c", "跨节点", List.of("di"), true));
      String room = cyOnA.nextMatching(ServerFrame.Room.class, r -> "c".equals(r.id())).room().room();
      ServerFrame.Message added = diOnB.nextMatching(ServerFrame.Message.class, m -> m.event() != null);
      assertThat(added.event().kind()).isEqualTo(EventKind.ADDED);
      assertThat(added.event().user()).isEqualTo("di");

      long fromA = cyOnA.sendRoomMessage("m1", room, "from A");
      assertThat(diOnB.nextMatching(ServerFrame.Message.class, m -> m.seq() == fromA).text()).isEqualTo("from A");
      long fromB = diOnB.sendRoomMessage("m2", room, "from B");
      assertThat(cyOnA.nextMatching(ServerFrame.Message.class, m -> m.seq() == fromB).text()).isEqualTo("from B");

      // Node B adds ed: node A, which remembers the room as it was, must send cy's next message to ed too.
      diOnB.send(new ClientFrame.AddMembers("add", room, List.of("ed")));
      assertThat(cyOnA.nextMatching(ServerFrame.Message.class, m -> m.event() != null && m.event().kind() == EventKind.ADDED)
          .event().user()).isEqualTo("ed");
      long afterAdd = cyOnA.sendRoomMessage("m3", room, "welcome ed");
      assertThat(edOnB.nextMatching(ServerFrame.Message.class, m -> m.seq() == afterAdd).text()).isEqualTo("welcome ed");
    }
  }

  @Test
  void presenceTypingAndReadCursorsReachTheOtherNode() {
    TestUser fay = new TestUsers(a).create("fay");
    TestUser gus = new TestUsers(b).create("gus");
    TestUser fayPhone = new TestUsers(b).login("fay");
    try (FrameClient gusOnB = Transport.TCP.connect(b, gus.token(), null)) {
      gusOnB.send(new ClientFrame.Watch("w", List.of("fay")));
      assertThat(gusOnB.nextMatching(ServerFrame.Presence.class, p -> p.username().equals("fay")).online()).isFalse();

      try (FrameClient fayOnA = Transport.TCP.connect(a, fay.token(), null);
          FrameClient fayOnB = Transport.TCP.connect(b, fayPhone.token(), null)) {
        assertThat(gusOnB.nextMatching(ServerFrame.Presence.class, p -> p.username().equals("fay")).online()).isTrue();

        fayOnA.send(new ClientFrame.Typing("t", null, "gus"));
        assertThat(gusOnB.nextMatching(ServerFrame.Typing.class, t -> true).from()).isEqualTo("fay");

        ServerFrame.Ack hello = gusOnB.sendMessage("h", "fay", "hello fay");
        fayOnA.nextMatching(ServerFrame.Message.class, m -> m.seq() == hello.seq());
        fayOnA.send(new ClientFrame.Read("r", null, "gus", hello.seq()));
        assertThat(fayOnB.nextMatching(ServerFrame.Read.class, r -> r.id() == null).seq()).isEqualTo(hello.seq());

        fayOnB.close();
        // Still connected to A: leaving B does not take her offline.
        gusOnB.send(new ClientFrame.Watch("w2", List.of("fay")));
        assertThat(gusOnB.nextMatching(ServerFrame.Presence.class, p -> p.username().equals("fay")).online()).isTrue();
      }
      assertThat(gusOnB.nextMatching(ServerFrame.Presence.class, p -> p.username().equals("fay")).online()).isFalse();
    }
  }

  @Test
  void roomMessagesSentOnTwoNodesAtOnceReachReadersOnEveryNodeOnceInSeqOrder() {
    String[] names = {"pam", "quin", "rex", "sid", "tao"};
    List<TestUser> people = new ArrayList<>();
    for (String name : names) {
      people.add(new TestUsers(a).create(name));
    }
    try (FrameClient pamOnA = Transport.TCP.connect(a, people.get(0).token(), null);
        FrameClient quinOnB = Transport.TCP.connect(b, people.get(1).token(), null);
        FrameClient rexOnA = Transport.TCP.connect(a, people.get(2).token(), null);
        FrameClient sidOnB = Transport.WEBSOCKET.connect(b, people.get(3).token(), null);
        FrameClient taoOnC = Transport.TCP.connect(c, people.get(4).token(), null)) {
      pamOnA.send(new ClientFrame.CreateRoom("c", "busy", List.of("quin", "rex", "sid", "tao"), false));
      String room = pamOnA.nextMatching(ServerFrame.Room.class, r -> "c".equals(r.id())).room().room();
      int each = 40;
      for (int i = 0; i < each; i++) {
        pamOnA.send(ClientFrame.Send.toRoom("p" + i, room, "pam " + i));
        quinOnB.send(ClientFrame.Send.toRoom("q" + i, room, "quin " + i));
      }
      List<Long> acked = new ArrayList<>();
      for (int i = 0; i < each; i++) {
        String pamId = "p" + i;
        String quinId = "q" + i;
        acked.add(pamOnA.nextMatching(ServerFrame.Ack.class, ack -> ack.id().equals(pamId)).seq());
        acked.add(quinOnB.nextMatching(ServerFrame.Ack.class, ack -> ack.id().equals(quinId)).seq());
      }

      for (FrameClient reader : List.of(rexOnA, sidOnB, taoOnC)) {
        List<Long> received = new ArrayList<>();
        while (received.size() < acked.size()) {
          received.add(reader.nextMatching(ServerFrame.Message.class, m -> room.equals(m.room()) && m.text() != null).seq());
        }
        assertThat(received).isSorted().doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(acked);
      }
    }
  }

  @Test
  void aNewUserAndANotificationLevelReachTheOtherNode() {
    TestUser kai = new TestUsers(a).create("kai");
    TestUser kaiPhone = new TestUsers(b).login("kai");
    new TestUsers(b).create("lux");
    try (FrameClient kaiOnA = Transport.TCP.connect(a, kai.token(), null);
        FrameClient kaiOnB = Transport.WEBSOCKET.connect(b, kaiPhone.token(), null)) {
      new TestUsers(b).create("李雷");
      assertThat(kaiOnA.nextMatching(ServerFrame.User.class, u -> u.username().equals("李雷")).online()).isFalse();

      kaiOnA.send(new ClientFrame.Notify("n", null, "lux", NotifyLevel.NONE));
      assertThat(kaiOnA.nextMatching(ServerFrame.Notify.class, n -> "n".equals(n.id())).level()).isEqualTo(NotifyLevel.NONE);
      ServerFrame.Notify pushed = kaiOnB.nextMatching(ServerFrame.Notify.class, n -> n.id() == null);
      assertThat(pushed.with()).isEqualTo("lux");
      assertThat(pushed.level()).isEqualTo(NotifyLevel.NONE);
    }
  }

  @Test
  void aPasswordChangedOnOneNodeEndsTheSessionsOnTheOther() {
    TestUser hal = new TestUsers(a).create("hal");
    TestUser halPhone = new TestUsers(b).login("hal");
    try (FrameClient phoneOnB = Transport.WEBSOCKET.connect(b, halPhone.token(), null)) {
      Http.Reply changed = new Http(a.http()).post(
          "/api/v1/account/password", Map.of("oldPassword", TestUsers.PASSWORD, "newPassword", "新的密码2026"), hal.token());
      assertThat(changed.status()).isEqualTo(204);
      assertThat(phoneOnB.nextMatching(ServerFrame.Bye.class, bye -> true).reason()).isEqualTo(ByeReason.PASSWORD_CHANGED);
      phoneOnB.awaitClosed();
    }
  }

  @Test
  void anAdminOnOneNodeSeesAUserOfTheOtherOnlineAndDisablingThemEndsTheirSessionThere() {
    TestUser una = new TestUsers(a).create("una");
    try (OperatorAccounts operator = OperatorAccounts.open(a.dataDir(), database.url())) {
      operator.setAdmin("una", true);
    }
    TestUser vic = new TestUsers(b).create("vic");
    Http http = new Http(a.http());
    try (FrameClient vicOnB = Transport.TCP.connect(b, vic.token(), null)) {
      await().atMost(Duration.ofSeconds(10)).until(() ->
          http.get("/api/v1/admin/users?prefix=vic", una.token()).body().get("users").get(0).get("online").asBoolean());

      assertThat(http.post("/api/v1/admin/users/vic/disable", Map.of(), una.token()).status()).isEqualTo(204);
      assertThat(vicOnB.nextMatching(ServerFrame.Bye.class, bye -> true).reason()).isEqualTo(ByeReason.ACCOUNT_DISABLED);
      vicOnB.awaitClosed();
    }
  }

  @Test
  void messagesTheBusLostArriveFromTheDatabaseOnceAndInSeqOrder() {
    TestUser ivy = new TestUsers(a).create("ivy");
    TestUser jon = new TestUsers(c).create("jon");
    try (FrameClient ivyOnA = Transport.TCP.connect(a, ivy.token(), null);
        FrameClient jonOnC = Transport.TCP.connect(c, jon.token(), null)) {
      List<Long> sent = new ArrayList<>();
      sent.add(ivyOnA.sendMessage("1", "jon", "one").seq());
      sent.add(ivyOnA.sendMessage("2", "jon", "two").seq());
      // Committed on C above A's: C holds it until the lower seqs, lost on the bus, are read back.
      sent.add(jonOnC.sendMessage("3", "jon", "note to self").seq());
      // The last one has nothing after it to reveal the gap: C's periodic check of the log finds it.
      sent.add(ivyOnA.sendMessage("4", "jon", "four").seq());

      List<Long> received = new ArrayList<>();
      await().atMost(Duration.ofSeconds(15)).until(() -> {
        jonOnC.drain().stream()
            .filter(f -> f instanceof ServerFrame.Message)
            .map(f -> ((ServerFrame.Message) f).seq())
            .forEach(received::add);
        return received.containsAll(sent.subList(0, 2)) && received.contains(sent.get(3));
      });
      // Nothing comes twice, even after further checks of the log.
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> !jonOnC.hasPending());
      List<Long> fromIvy = List.of(sent.get(0), sent.get(1), sent.get(3));
      assertThat(received).containsExactlyElementsOf(fromIvy);
      assertThat(new Http(c.admin()).get("/metrics", null).raw().body()).containsPattern("parley_bus_recovered_total [1-9]");
    }
  }

  /**
   * A node whose writer has committed a message but not yet handed it to delivery sees a later seq
   * of another node arrive: the gap below it is its own message, which must reach the sender's
   * other connections as a copy, never the connection it was sent from as a delivery.
   */
  @Test
  void aGapThatIsThisNodesOwnUnhandedCommitIsNotReadBackToTheConnectionItCameFrom() throws Exception {
    FaultyMessageStore[] store = new FaultyMessageStore[1];
    try (TestServer d = TestServer.startWrapping(settings("node-d", subject), real -> store[0] = new FaultyMessageStore(real))) {
      TestUser kim = new TestUsers(d).create("kim");
      TestUser lee = new TestUsers(a).create("lee");
      try (FrameClient kimOnD = Transport.TCP.connect(d, kim.token(), null);
          FrameClient leeOnA = Transport.TCP.connect(a, lee.token(), null)) {
        CountDownLatch release = new CountDownLatch(1);
        store[0].holdCommittedAppendsUntil(release);
        long before = store[0].newestSeq();
        kimOnD.send(new ClientFrame.Send("k1", "lee", "mine"));
        await().atMost(Duration.ofSeconds(10)).until(() -> store[0].newestSeq() > before);
        long later = leeOnA.sendMessage("l1", "kim", "a later seq from another node").seq();
        // D now holds the later seq, waiting for the gap below it, which is its own commit in hand:
        // for several gap waits (100 ms each) nothing may be read back to kim's connection.
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() -> !kimOnD.hasPending());
        release.countDown();

        List<ServerFrame> toKim = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
          toKim.addAll(kimOnD.drain());
          return toKim.stream().anyMatch(f -> f instanceof ServerFrame.Ack)
              && toKim.stream().anyMatch(f -> f instanceof ServerFrame.Message m && m.seq() == later);
        });
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !kimOnD.hasPending());
        ServerFrame.Ack ack = (ServerFrame.Ack) toKim.stream().filter(f -> f instanceof ServerFrame.Ack).findFirst().orElseThrow();
        assertThat(ack.seq()).isLessThan(later);
        assertThat(toKim).as("kim's connection gets the ack of its message and lee's, never its own message")
            .filteredOn(f -> f instanceof ServerFrame.Message).extracting(f -> ((ServerFrame.Message) f).seq())
            .containsExactly(later);
        assertThat(leeOnA.nextMatching(ServerFrame.Message.class, m -> m.seq() == ack.seq()).text()).isEqualTo("mine");
      }
    }
  }

  /**
   * Seq order is commit order as readers see it: while senders on all three nodes append at once,
   * a reader on every node pages through its conversations by connecting again and again with
   * {@code since} = the newest seq it holds, and ends up with every acked message exactly once, in
   * order. A seq committed after a higher one was visible would be skipped for good by such a reader.
   */
  @Test
  void readersOnEveryNodePagingWithSinceWhileThreeNodesSendSeeEveryMessageOnceInOrder() throws Exception {
    TestUser uma = new TestUsers(a).create("uma");
    List<TestServer> nodes = List.of(a, b, c);
    List<TestUser> senders = List.of(new TestUsers(a).create("ula"), new TestUsers(b).create("ulf"), new TestUsers(c).create("uli"));
    int each = 100;
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<List<Long>>> sending = new ArrayList<>();
      for (int s = 0; s < senders.size(); s++) {
        TestServer node = nodes.get(s);
        TestUser sender = senders.get(s);
        sending.add(threads.submit(() -> {
          try (FrameClient client = Transport.TCP.connect(node, sender.token(), null)) {
            // Ten in flight at a time: a user's burst on PostgreSQL runs at most two slices (40) ahead
            // of the shared rate bucket (PROTOCOL.md §9.6), and this test is about order, not limits.
            List<Long> acked = new ArrayList<>();
            for (int i = 0; i < each; i += 10) {
              for (int j = i; j < i + 10; j++) {
                client.send(new ClientFrame.Send(sender.username() + j, "uma", sender.username() + " " + j));
              }
              for (int j = i; j < i + 10; j++) {
                String id = sender.username() + j;
                acked.add(client.nextMatching(ServerFrame.Ack.class, ack -> ack.id().equals(id)).seq());
              }
            }
            return acked;
          }
        }));
      }
      AtomicBoolean sent = new AtomicBoolean();
      List<Future<List<Long>>> reading = new ArrayList<>();
      for (TestServer node : nodes) {
        reading.add(threads.submit(() -> pageWithSince(node, uma, sent, senders.size() * each)));
      }
      List<Long> acked = new ArrayList<>();
      for (Future<List<Long>> sender : sending) {
        acked.addAll(sender.get(60, TimeUnit.SECONDS));
      }
      sent.set(true);
      for (Future<List<Long>> reader : reading) {
        assertThat(reader.get(60, TimeUnit.SECONDS)).isSorted().doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(acked);
      }
    }
  }

  /** Connects with {@code since} = the newest seq held, reads what comes for a moment, and again, until it holds {@code expected}. */
  private static List<Long> pageWithSince(TestServer node, TestUser reader, AtomicBoolean sent, int expected) {
    List<Long> held = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (held.size() < expected && System.nanoTime() < deadline) {
      long since = held.isEmpty() ? 0 : held.getLast();
      try (FrameClient client = Transport.TCP.connect(node, reader.token(), since)) {
        for (ServerFrame frame = client.poll(Duration.ofMillis(50)); frame != null; frame = client.poll(Duration.ofMillis(50))) {
          if (frame instanceof ServerFrame.Message message && message.text() != null) {
            held.add(message.seq());
          }
          if (held.size() % 40 == 0 && !sent.get()) {
            break;
          }
        }
      }
    }
    return held;
  }
}
