package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.ParleyClient;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.OwnServer;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.ServerSetting;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.WsClient;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ChatSession} against a real server, with a raw WebSocket client as the other user. */
@ParleyServerTest
@OwnServer
class ChatSessionTest {
  private static final ChatSession.Settings FAST =
      new ChatSession.Settings(Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMinutes(10));

  @TempDir Path home;

  private final TestServer server;
  private final TestUsers users;
  private final List<String> screen = new CopyOnWriteArrayList<>();
  private ParleyClient client;
  private ChatSession session;
  private WsClient other;

  ChatSessionTest(TestServer server, TestUsers users) {
    this.server = server;
    this.users = users;
  }

  @AfterEach
  void stop() {
    if (session != null) {
      session.close();
    }
    if (other != null) {
      other.close();
    }
    if (client != null) {
      client.close();
    }
  }

  private ChatSession start(String user, ChatSession.Settings settings) {
    String token = users.create(user).token();
    client = new ParleyClient(server.http());
    CliEnvironment environment = new CliEnvironment(
        Map.of("PARLEY_CONFIG_DIR", home.resolve("config").toString()), new ByteArrayInputStream(new byte[0]), null, home, home);
    session = new ChatSession(client, new SavedLogin(client.base().toString(), user, token, null), environment,
        new ChatRenderer(false, Clock.systemDefaultZone()), line -> screen.add(line.toString()), settings);
    session.start();
    return session;
  }

  private WsClient online(String user) {
    String token = users.login(user).token();
    WsClient ws = WsClient.connect(server.webSocket(), Map.of("Authorization", "Bearer " + token));
    ws.next(ServerFrame.Welcome.class);
    return ws;
  }

  private void awaitLine(String fragment) {
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(screen).anySatisfy(line -> assertThat(line).contains(fragment)));
  }

  @Test
  void twoUsersExchangeMessages() {
    users.create("bob");
    start("alice", ChatSession.Settings.defaults());
    other = online("bob");

    other.sendMessage("m1", "alice", "hello alice");
    awaitLine("<bob> hello alice");

    session.handle("/to bob");
    assertThat(session.target()).isEqualTo("bob");
    session.handle("hi bob");
    assertThat(other.nextMatching(ServerFrame.Message.class, m -> m.from().equals("alice")).text()).isEqualTo("hi bob");
    awaitLine("-> bob: hi bob");

    session.handle("/msg bob second");
    assertThat(other.nextMatching(ServerFrame.Message.class, m -> m.from().equals("alice")).text()).isEqualTo("second");
    assertThat(session.highestSeq()).isPositive();
  }

  @Test
  void presenceChangesOfOtherUsersAppear() {
    users.create("bob");
    start("alice", ChatSession.Settings.defaults());

    other = online("bob");
    awaitLine("-- bob is online");
    other.close();
    awaitLine("-- bob went offline");
  }

  @Test
  void usersListsOnlineFirstAndTheNamesComplete() {
    users.create("bob");
    users.create("carol");
    start("alice", ChatSession.Settings.defaults());
    other = online("carol");
    awaitLine("carol is online");

    session.handle("/users");

    assertThat(screen).contains("online:  alice, carol", "offline: bob");
    assertThat(session.userNames()).containsExactly("alice", "bob", "carol");
  }

  @Test
  void mistakesGetAClearMessage() {
    start("alice", ChatSession.Settings.defaults());

    session.handle("hello?");
    session.handle("/to nobody");
    session.handle("/msg bob");
    session.handle("/history");

    assertThat(screen).anySatisfy(line -> assertThat(line).endsWith("!! to whom? /to NAME or /to #ROOM first, or /msg NAME TEXT"));
    assertThat(screen).anySatisfy(line -> assertThat(line).endsWith("!! no user nobody; /users lists them"));
    assertThat(screen).anySatisfy(line -> assertThat(line).endsWith("!! usage: /msg NAME|#ROOM TEXT"));
    assertThat(screen).anySatisfy(line -> assertThat(line).endsWith("!! history of what? /to NAME or /to #ROOM first"));
  }

  @Test
  void historyShowsTheConversationWithTheTarget() {
    users.create("bob");
    start("alice", ChatSession.Settings.defaults());
    other = online("bob");
    other.sendMessage("m1", "alice", "one");
    other.sendMessage("m2", "alice", "two");
    awaitLine("<bob> two");
    screen.clear();

    session.handle("/to bob");
    session.handle("/history 1");

    assertThat(screen).anySatisfy(line -> assertThat(line).contains("the last 1 with bob"));
    assertThat(screen).anySatisfy(line -> assertThat(line).endsWith("<bob> two"));
    assertThat(screen).noneSatisfy(line -> assertThat(line).endsWith("<bob> one"));
  }

  @Test
  void sendAndGetMoveAFileIntact() throws Exception {
    users.create("bob");
    start("alice", ChatSession.Settings.defaults());
    other = online("bob");
    byte[] bytes = new byte[3 << 20];
    new Random(5).nextBytes(bytes);
    Files.write(home.resolve("data.bin"), bytes);

    session.handle("/send bob data.bin");

    ServerFrame.Message offer = other.nextMatching(ServerFrame.Message.class, m -> m.file() != null);
    assertThat(offer.file().size()).isEqualTo(bytes.length);
    awaitLine("-> bob: [file data.bin, 3.1 MB] /get " + offer.file().id());
    awaitLine("data.bin  100%");

    session.handle("/get " + offer.file().id() + " copy.bin");
    awaitLine("saved " + home.resolve("copy.bin"));
    assertThat(Files.readAllBytes(home.resolve("copy.bin"))).isEqualTo(bytes);

    session.handle("/get " + offer.file().id() + " copy.bin");
    awaitLine("copy.bin exists; /get " + offer.file().id() + " PATH to save it elsewhere");
  }

  @Test
  @ServerSetting(key = "idle-timeout-seconds", value = "1") // drops us when we do not ping
  void aDroppedConnectionIsReopenedAndNothingIsMissed() {
    users.create("bob");
    start("alice", FAST);

    awaitLine("disconnected (idle)");
    awaitLine("reconnecting in 0.1 s…");
    awaitLine("reconnected, caught up");

    String bobToken = users.login("bob").token();
    try (ParleyClient bob = new ParleyClient(server.http())) {
      bob.send(bobToken, "m1", "alice", "while you were away, maybe");
    }
    awaitLine("<bob> while you were away, maybe");
    await().atMost(Duration.ofSeconds(15)).until(() -> screen.stream().filter(l -> l.contains("reconnected")).count() >= 2);
    assertThat(screen.stream().filter(l -> l.contains("<bob> while you were away")).count()).isEqualTo(1);
  }

  @Test
  void logoutForgetsTheSavedLogin() throws Exception {
    start("alice", ChatSession.Settings.defaults());
    CredentialsFile saved = new CredentialsFile(home.resolve("config"));
    saved.save(new SavedLogin(client.base().toString(), "alice", "whatever", null));

    assertThat(session.handle("/logout")).isEqualTo(ChatSession.Outcome.QUIT);

    assertThat(saved.load()).isEmpty();
    awaitLine("logged out alice");
  }
}
