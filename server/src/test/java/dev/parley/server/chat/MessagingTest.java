package dev.parley.server.chat;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.ServerSetting;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.Transport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ParleyServerTest
@ServerSetting(key = "max-text-chars", value = "100")
class MessagingTest {
  private static TestServer server;
  private static Http http;
  private static int users;

  @BeforeAll
  static void keepTheServer(TestServer testServer, Http client) {
    server = testServer;
    http = client;
  }

  /** A fresh pair of users per test, so tests do not see each other's messages. */
  private record Pair(String alice, String aliceToken, String bob, String bobToken) {}

  private static Pair newPair() {
    int n = ++users;
    String alice = "alice" + n;
    String bob = "张三" + n;
    return new Pair(alice, http.registerAndLogin(alice, PASSWORD), bob, http.registerAndLogin(bob, PASSWORD));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void messageIsAckedAndDeliveredByteExact(Transport transport) {
    Pair pair = newPair();
    String text = "你好, bob 😀\n<img src=x onerror=alert(1)> \"quoted\" \\ tab\t";
    try (FrameClient alice = transport.connect(server, pair.aliceToken(), null);
        FrameClient bob = transport.connect(server, pair.bobToken(), null)) {
      ServerFrame.Ack ack = alice.sendMessage("m1", pair.bob(), text);

      assertThat(ack.seq()).isPositive();
      assertThat(bob.next(ServerFrame.Message.class))
          .isEqualTo(new ServerFrame.Message(ack.seq(), pair.alice(), pair.bob(), text, ack.ts()));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void seqStrictlyIncreasesInAcceptanceOrder(Transport transport) {
    Pair pair = newPair();
    try (FrameClient alice = transport.connect(server, pair.aliceToken(), null)) {
      List<Long> seqs = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        seqs.add(alice.sendMessage("s" + i, pair.bob(), "n" + i).seq());
      }
      assertThat(seqs).isSorted().doesNotHaveDuplicates();
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void repeatedSendIdReturnsTheSameAckAndIsDeliveredOnce(Transport transport) {
    Pair pair = newPair();
    try (FrameClient alice = transport.connect(server, pair.aliceToken(), null);
        FrameClient bob = transport.connect(server, pair.bobToken(), null)) {
      ServerFrame.Ack first = alice.sendMessage("dup", pair.bob(), "once");
      ServerFrame.Ack again = alice.sendMessage("dup", pair.bob(), "once");
      ServerFrame.Ack next = alice.sendMessage("after", pair.bob(), "twice");

      assertThat(again).isEqualTo(first);
      assertThat(bob.next(ServerFrame.Message.class).seq()).isEqualTo(first.seq());
      assertThat(bob.next(ServerFrame.Message.class).seq()).isEqualTo(next.seq());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void messageReachesEveryRecipientConnectionAndTheSendersOtherConnections(Transport transport) {
    Pair pair = newPair();
    try (FrameClient alicePhone = transport.connect(server, pair.aliceToken(), null);
        FrameClient aliceLaptop = transport.connect(server, http.login(pair.alice(), PASSWORD), null);
        FrameClient bobPhone = transport.connect(server, pair.bobToken(), null);
        FrameClient bobLaptop = transport.connect(server, http.login(pair.bob(), PASSWORD), null)) {
      ServerFrame.Ack ack = alicePhone.sendMessage("m", pair.bob(), "to all devices");

      for (FrameClient other : List.of(aliceLaptop, bobPhone, bobLaptop)) {
        assertThat(other.next(ServerFrame.Message.class).seq()).isEqualTo(ack.seq());
      }
      alicePhone.send(new ClientFrame.Ping("barrier"));
      assertThat(alicePhone.next()).isEqualTo(new ServerFrame.Pong("barrier"));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void offlineMessagesArriveInOrderOnNextWelcomeAndOnlyOnce(Transport transport) {
    Pair pair = newPair();
    List<Long> sent = new ArrayList<>();
    try (FrameClient alice = transport.connect(server, pair.aliceToken(), null)) {
      for (int i = 0; i < 5; i++) {
        sent.add(alice.sendMessage("o" + i, pair.bob(), "offline " + i).seq());
      }
    }
    try (FrameClient bob = transport.connect(server, pair.bobToken(), null)) {
      for (int i = 0; i < 5; i++) {
        ServerFrame.Message message = bob.next(ServerFrame.Message.class);
        assertThat(message.seq()).isEqualTo(sent.get(i));
        assertThat(message.text()).isEqualTo("offline " + i);
      }
    }
    // Delivered now: a later connection without since gets no replay.
    try (FrameClient bob = transport.connect(server, pair.bobToken(), null)) {
      bob.send(new ClientFrame.Ping("p"));
      assertThat(bob.next()).isEqualTo(new ServerFrame.Pong("p"));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void sinceReplaysEveryMessageToOrFromTheUserAfterThatSeq(Transport transport) {
    Pair pair = newPair();
    long lastSeen;
    try (FrameClient alice = transport.connect(server, pair.aliceToken(), null);
        FrameClient bob = transport.connect(server, pair.bobToken(), null)) {
      lastSeen = alice.sendMessage("a1", pair.bob(), "seen").seq();
      bob.next(ServerFrame.Message.class);
    }
    long fromAlice;
    long fromBob;
    try (FrameClient alice = transport.connect(server, http.login(pair.alice(), PASSWORD), null);
        FrameClient bob = transport.connect(server, pair.bobToken(), null)) {
      fromAlice = alice.sendMessage("a2", pair.bob(), "missed 1").seq();
      bob.next(ServerFrame.Message.class);
      fromBob = bob.sendMessage("b1", pair.alice(), "missed 2").seq();
    }
    try (FrameClient alice = transport.connect(server, pair.aliceToken(), lastSeen)) {
      assertThat(alice.next(ServerFrame.Message.class).seq()).isEqualTo(fromAlice);
      assertThat(alice.next(ServerFrame.Message.class).seq()).isEqualTo(fromBob);
      alice.send(new ClientFrame.Ping("end"));
      assertThat(alice.next()).isEqualTo(new ServerFrame.Pong("end"));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void pipelinedSendsToUsersNeverSeenBeforeAreStoredInArrivalOrder(Transport transport) {
    Pair pair = newPair();
    List<String> recipients = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String name = "fresh" + transport.ordinal() + "x" + i + "n" + users;
      http.post("/api/v1/register", Map.of("username", name, "password", PASSWORD));
      recipients.add(name);
    }
    try (FrameClient alice = transport.connect(server, pair.aliceToken(), null)) {
      for (int i = 0; i < recipients.size(); i++) {
        alice.send(new ClientFrame.Send("p" + i, recipients.get(i), "in order " + i));
      }
      Map<String, Long> seqById = new HashMap<>();
      for (int i = 0; i < recipients.size(); i++) {
        ServerFrame.Ack ack = alice.next(ServerFrame.Ack.class);
        seqById.put(ack.id(), ack.seq());
      }
      List<Long> seqsInSendOrder = IntStream.range(0, recipients.size()).mapToObj(i -> seqById.get("p" + i)).toList();
      assertThat(seqsInSendOrder).doesNotContainNull().isSorted();
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void framesPipelinedBehindALoginRunInOrderOnceItSucceeds(Transport transport) {
    Pair pair = newPair();
    try (FrameClient alice = transport.connect(server)) {
      alice.send(new ClientFrame.Login("in", pair.alice(), PASSWORD, null));
      alice.send(new ClientFrame.Send("right-after", pair.bob(), "no waiting for the welcome"));
      alice.send(new ClientFrame.Ping("last"));
      assertThat(alice.next(ServerFrame.Welcome.class).id()).isEqualTo("in");
      // Processed in order; the ack, sent after the commit, may come before or after the pong.
      List<ServerFrame> replies = List.of(alice.next(), alice.next());
      assertThat(replies).contains(new ServerFrame.Pong("last"));
      assertThat(replies).anySatisfy(frame ->
          assertThat(frame).isInstanceOfSatisfying(ServerFrame.Ack.class, ack -> assertThat(ack.id()).isEqualTo("right-after")));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aMalformedLinePipelinedBehindALoginIsAnsweredAfterTheWelcome(Transport transport) {
    Pair pair = newPair();
    try (FrameClient alice = transport.connect(server)) {
      alice.send(new ClientFrame.Login("in", pair.alice(), PASSWORD, null));
      alice.sendText("{\"type\":\"oops\",\"id\":\"bad\"}");
      assertThat(alice.next(ServerFrame.Welcome.class).id()).isEqualTo("in");
      assertThat(alice.next(ServerFrame.Error.class).id()).isEqualTo("bad");
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void framesPipelinedBehindAFailedLoginAreRefused(Transport transport) {
    Pair pair = newPair();
    try (FrameClient alice = transport.connect(server)) {
      alice.send(new ClientFrame.Login("in", pair.alice(), "wrong-password-1", null));
      alice.send(new ClientFrame.Send("right-after", pair.bob(), "must not be stored"));
      assertThat(alice.next(ServerFrame.Error.class).code()).isEqualTo(ErrorCode.BAD_CREDENTIALS);
      assertThat(alice.next(ServerFrame.Error.class))
          .isEqualTo(new ServerFrame.Error("right-after", ErrorCode.UNAUTHORIZED, "log in or authenticate first", null));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void loginFrameWelcomesWithATokenThatAuthenticatesLater(Transport transport) {
    Pair pair = newPair();
    String token;
    try (FrameClient client = transport.connect(server)) {
      ServerFrame.Welcome welcome = client.login(pair.alice().toUpperCase(), PASSWORD);
      assertThat(welcome.username()).isEqualTo(pair.alice());
      token = welcome.token();
      assertThat(token).hasSize(43);
    }
    try (FrameClient client = transport.connect(server)) {
      ServerFrame.Welcome welcome = client.auth(token, null);
      assertThat(welcome).isEqualTo(new ServerFrame.Welcome("auth", pair.alice(), null));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void textOutsideTheLimitsIsRefusedWithItsCode(Transport transport) {
    Pair pair = newPair();
    try (FrameClient alice = transport.connect(server, pair.aliceToken(), null)) {
      alice.send(new ClientFrame.Send("empty", pair.bob(), ""));
      assertThat(alice.next(ServerFrame.Error.class))
          .isEqualTo(new ServerFrame.Error("empty", ErrorCode.BAD_REQUEST, "text is empty", null));
      alice.send(new ClientFrame.Send("long", pair.bob(), "字".repeat(101)));
      assertThat(alice.next(ServerFrame.Error.class))
          .isEqualTo(new ServerFrame.Error("long", ErrorCode.TOO_LARGE, "text is over 100 characters", null));
      assertThat(alice.sendMessage("fits", pair.bob(), "字".repeat(100)).seq()).isPositive();
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void unknownRecipientIsNotFound(Transport transport) {
    Pair pair = newPair();
    try (FrameClient alice = transport.connect(server, pair.aliceToken(), null)) {
      alice.send(new ClientFrame.Send("x", "nobody-here", "hello?"));
      assertThat(alice.next(ServerFrame.Error.class))
          .isEqualTo(new ServerFrame.Error("x", ErrorCode.NOT_FOUND, "no user 'nobody-here'", null));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void historyPagesBackwardsOldestFirst(Transport transport) {
    Pair pair = newPair();
    try (FrameClient alice = transport.connect(server, pair.aliceToken(), null)) {
      List<Long> seqs = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        seqs.add(alice.sendMessage("h" + i, pair.bob(), "h" + i).seq());
      }
      alice.send(new ClientFrame.History("page1", pair.bob(), null, 3));
      ServerFrame.History newest = alice.next(ServerFrame.History.class);
      assertThat(newest.messages()).extracting(ServerFrame.Message::seq).isEqualTo(seqs.subList(4, 7));

      alice.send(new ClientFrame.History("page2", pair.bob(), seqs.get(4), 3));
      assertThat(alice.next(ServerFrame.History.class).messages())
          .extracting(ServerFrame.Message::seq)
          .isEqualTo(seqs.subList(1, 4));

      alice.send(new ClientFrame.History("page3", pair.bob(), seqs.get(1), 3));
      assertThat(alice.next(ServerFrame.History.class).messages())
          .extracting(ServerFrame.Message::text)
          .containsExactly("h0");
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aMessageToYourselfReachesYourOtherDevices(Transport transport) {
    Pair pair = newPair();
    try (FrameClient phone = transport.connect(server, pair.aliceToken(), null);
        FrameClient laptop = transport.connect(server, http.login(pair.alice(), PASSWORD), null)) {
      ServerFrame.Ack ack = phone.sendMessage("note", pair.alice(), "note to self");
      assertThat(laptop.next(ServerFrame.Message.class))
          .isEqualTo(new ServerFrame.Message(ack.seq(), pair.alice(), pair.alice(), "note to self", ack.ts()));
    }
  }
}
