package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.InstanceOfAssertFactories.type;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ByeReason;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.protocol.ServerFrame.UserEntry;
import dev.parley.server.testing.OwnServer;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@ParleyServerTest
@OwnServer
class ParleyConnectionTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final TestServer server;
  private final TestUsers users;
  private final ParleyClient rest;
  private final List<ParleyConnection> opened = new CopyOnWriteArrayList<>();

  ParleyConnectionTest(TestServer server, TestUsers users) {
    this.server = server;
    this.users = users;
    rest = new ParleyClient(server.http());
  }

  @AfterEach
  void stop() {
    opened.forEach(ParleyConnection::close);
    rest.close();
  }

  private String tokenOf(String username) {
    return users.create(username).token();
  }

  private ParleyConnection connect(String token, Long since, Inbox inbox) {
    ParleyConnection connection = ParleyConnection.connect(server.http(), token, since, inbox.frames::add);
    opened.add(connection);
    return connection;
  }

  @Test
  void twoUsersExchangeChineseMessages() {
    Inbox aliceInbox = new Inbox();
    Inbox bobInbox = new Inbox();
    ParleyConnection alice = connect(tokenOf("alice"), null, aliceInbox);
    ParleyConnection bob = connect(tokenOf("张三"), null, bobInbox);

    ServerFrame.Ack hello = alice.sendMessage("张三", "你好，张三！").join();
    await().atMost(WAIT).until(() -> bobInbox.messages().size() == 1);
    ServerFrame.Ack reply = bob.sendMessage("alice", "你好 👋").join();
    await().atMost(WAIT).until(() -> aliceInbox.messages().size() == 1);

    assertThat(alice.username()).isEqualTo("alice");
    assertThat(bobInbox.frames.getFirst()).isEqualTo(new ServerFrame.Welcome(null, "张三", null));
    assertThat(bobInbox.messages())
        .containsExactly(new ServerFrame.Message(hello.seq(), "alice", "张三", "你好，张三！", hello.ts()));
    assertThat(aliceInbox.messages())
        .containsExactly(new ServerFrame.Message(reply.seq(), "张三", "alice", "你好 👋", reply.ts()));
    assertThat(reply.seq()).isGreaterThan(hello.seq());
    assertThat(aliceInbox.frames).noneMatch(ServerFrame.Ack.class::isInstance);
  }

  @Test
  void eachAckCompletesTheFutureOfItsOwnSend() {
    tokenOf("bob");
    ParleyConnection alice = connect(tokenOf("alice"), null, new Inbox());

    List<CompletableFuture<ServerFrame.Ack>> acks =
        List.of(alice.sendMessage("bob", "one"), alice.sendMessage("bob", "two"), alice.sendMessage("bob", "three"));

    // Not asserted: that the seqs follow the send order. The server resolves recipients on a thread
    // pool, so pipelined sends can be stored out of order (reported as a server issue).
    List<Long> seqs = acks.stream().map(CompletableFuture::join).map(ServerFrame.Ack::seq).toList();
    assertThat(seqs).doesNotHaveDuplicates();
    assertThat(rest.messages(users.login("bob").token(), "alice", null, null))
        .extracting(ServerFrame.Message::seq, ServerFrame.Message::text)
        .containsExactlyInAnyOrder(
            tuple(seqs.get(0), "one"),
            tuple(seqs.get(1), "two"),
            tuple(seqs.get(2), "three"));
  }

  @Test
  void anErrorFailsOnlyTheSendWhoseIdItEchoes() {
    tokenOf("bob");
    Inbox inbox = new Inbox();
    ParleyConnection alice = connect(tokenOf("alice"), null, inbox);

    CompletableFuture<ServerFrame.Ack> toNobody = alice.sendMessage("nobody", "hello?");
    CompletableFuture<ServerFrame.Ack> toBob = alice.sendMessage("bob", "hello");

    assertThat(toBob.join().seq()).isPositive();
    assertThatThrownBy(toNobody::join)
        .isInstanceOf(CompletionException.class)
        .cause()
        .asInstanceOf(type(ParleyClientException.class))
        .satisfies(e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
          assertThat(e.getMessage()).contains("nobody");
          assertThat(e.httpStatus()).isZero();
        });
    assertThat(inbox.frames).noneMatch(ServerFrame.Error.class::isInstance);
  }

  @Test
  void resendingWithTheSameIdIsAcknowledgedOnceStored() {
    tokenOf("bob");
    ParleyConnection alice = connect(tokenOf("alice"), null, new Inbox());

    ServerFrame.Ack first = alice.sendMessage("retry-1", "bob", "only once").join();
    ServerFrame.Ack again = alice.sendMessage("retry-1", "bob", "only once").join();

    assertThat(again).isEqualTo(first);
    assertThat(rest.messages(users.login("bob").token(), "alice", null, null)).hasSize(1);
  }

  @Test
  void messagesSentWhileOfflineArriveOnTheNextConnection() {
    String bobToken = tokenOf("bob");
    ParleyConnection alice = connect(tokenOf("alice"), null, new Inbox());
    alice.sendMessage("bob", "first").join();
    alice.sendMessage("bob", "second").join();

    Inbox bobInbox = new Inbox();
    connect(bobToken, null, bobInbox);

    await().atMost(WAIT).until(() -> bobInbox.texts().equals(List.of("first", "second")));
  }

  @Test
  void reconnectingWithSinceReplaysEverythingAfterIt() {
    String bobToken = tokenOf("bob");
    ParleyConnection alice = connect(tokenOf("alice"), null, new Inbox());
    Inbox firstInbox = new Inbox();
    ParleyConnection bob = connect(bobToken, null, firstInbox);
    long seen = alice.sendMessage("bob", "seen").join().seq();
    await().atMost(WAIT).until(() -> firstInbox.texts().equals(List.of("seen")));
    bob.close();
    alice.sendMessage("bob", "missed 1").join();
    alice.sendMessage("bob", "missed 2").join();

    Inbox secondInbox = new Inbox();
    connect(bobToken, seen, secondInbox);

    await().atMost(WAIT).until(() -> secondInbox.texts().equals(List.of("missed 1", "missed 2")));
  }

  @Test
  void aSinceOfMaxValueLeavesUndeliveredMessagesForTheRealClient() {
    String bobToken = tokenOf("bob");
    ParleyConnection alice = connect(tokenOf("alice"), null, new Inbox());
    alice.sendMessage("bob", "for later").join();

    Inbox sendOnly = new Inbox();
    ParleyConnection throwaway = connect(bobToken, Long.MAX_VALUE, sendOnly);
    throwaway.sendMessage("alice", "quick note").join();
    throwaway.close();
    Inbox realClient = new Inbox();
    connect(bobToken, null, realClient);

    await().atMost(WAIT).until(() -> realClient.texts().equals(List.of("for later")));
    assertThat(sendOnly.messages()).isEmpty();
  }

  @Test
  void pingIsAnsweredWithPong() {
    ParleyConnection alice = connect(tokenOf("alice"), null, new Inbox());

    assertThat(alice.ping().join()).isInstanceOf(ServerFrame.Pong.class);
  }

  @Test
  void watchedUsersPushPresence() {
    String bobToken = tokenOf("bob");
    Inbox aliceInbox = new Inbox();
    ParleyConnection alice = connect(tokenOf("alice"), null, aliceInbox);
    alice.watch(List.of("bob")).join();
    alice.ping().join();

    ParleyConnection bob = connect(bobToken, null, new Inbox());
    await().atMost(WAIT).until(() -> aliceInbox.frames.contains(new ServerFrame.Presence("bob", true)));
    bob.close();

    await().atMost(WAIT).until(() -> aliceInbox.frames.contains(new ServerFrame.Presence("bob", false)));
  }

  @Test
  void logoutElsewhereClosesTheConnectionWithTokenRevoked() {
    tokenOf("bob");
    String token = tokenOf("alice");
    Inbox inbox = new Inbox();
    ParleyConnection alice = connect(token, null, inbox);

    rest.logout(token);

    Disconnect disconnect = alice.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    assertThat(disconnect.byeReason()).isEqualTo(ByeReason.TOKEN_REVOKED);
    assertThat(disconnect.error()).isNull();
    assertThat(inbox.frames.getLast()).isEqualTo(new ServerFrame.Bye(null, ByeReason.TOKEN_REVOKED));
    assertThatThrownBy(() -> alice.sendMessage("bob", "too late").join()).isInstanceOf(CompletionException.class);
  }

  @Test
  void serverShutdownClosesTheConnectionWithByeShutdown() {
    ParleyConnection alice = connect(tokenOf("alice"), null, new Inbox());

    server.server().close();

    assertThat(alice.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().byeReason())
        .isEqualTo(ByeReason.SHUTDOWN);
  }

  @Test
  void closeEndsTheConnectionAndTheUserGoesOffline() {
    String token = tokenOf("alice");
    ParleyConnection alice = connect(token, null, new Inbox());
    assertThat(rest.users(token, true, null, null)).containsExactly(new UserEntry("alice", true));

    alice.close();

    assertThat(alice.closed()).isCompleted();
    assertThat(alice.closed().join().byeReason()).isNull();
    await().atMost(WAIT).until(() -> rest.users(token, true, null, null).isEmpty());
  }

  @Test
  void anUnknownTokenIsRefusedAtTheUpgrade() {
    assertThatThrownBy(() -> ParleyConnection.connect(server.http(), "not-a-token", null, frame -> {}))
        .asInstanceOf(type(ParleyClientException.class))
        .satisfies(e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
          assertThat(e.httpStatus()).isEqualTo(401);
        });
  }
}
