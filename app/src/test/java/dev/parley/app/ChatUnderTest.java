package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.ParleyClient;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.WsClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jline.utils.AttributedString;

/**
 * A {@link ChatSession} against a real server, without a terminal: its lines (uncoloured) and
 * bells are recorded, and other users talk to it through raw WebSocket clients. Its home directory
 * is a fresh temporary one. Closes it all, and deletes that directory.
 */
final class ChatUnderTest implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(15);

  final List<String> screen = new CopyOnWriteArrayList<>();
  final AtomicInteger bells = new AtomicInteger();
  private final TestServer server;
  private final TestUsers users;
  private final Path home;
  private final List<WsClient> others = new CopyOnWriteArrayList<>();
  private ParleyClient client;
  private ChatSession session;

  ChatUnderTest(TestServer server, TestUsers users) {
    this.server = server;
    this.users = users;
    try {
      this.home = Files.createTempDirectory("parley-chat-home");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates {@code user} and starts their chat. */
  ChatSession start(String user) {
    String token = users.create(user).token();
    client = new ParleyClient(server.http());
    CliEnvironment environment = new CliEnvironment(
        Map.of("PARLEY_CONFIG_DIR", home.resolve("config").toString()), new ByteArrayInputStream(new byte[0]), null, home, home);
    ChatSession.Screen recorder = new ChatSession.Screen() {
      @Override
      public void show(AttributedString line) {
        screen.add(line.toString());
      }

      @Override
      public void bell() {
        bells.incrementAndGet();
      }
    };
    session = new ChatSession(client, new SavedLogin(client.base().toString(), user, token, null), environment,
        new ChatRenderer(false, Clock.systemDefaultZone()), recorder, ChatSession.Settings.defaults());
    session.start();
    return session;
  }

  ParleyClient client() {
    return client;
  }

  /** Another user's live client; created as a user first when {@code create}. */
  WsClient online(String user, boolean create) {
    String token = (create ? users.create(user) : users.login(user)).token();
    WsClient ws = WsClient.connect(server.webSocket(), Map.of("Authorization", "Bearer " + token));
    ws.next(ServerFrame.Welcome.class);
    others.add(ws);
    return ws;
  }

  void awaitLine(String fragment) {
    await().atMost(WAIT).untilAsserted(() -> assertThat(screen).anySatisfy(line -> assertThat(line).contains(fragment)));
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
    others.forEach(WsClient::close);
    if (client != null) {
      client.close();
    }
    TestServer.deleteRecursively(home);
  }
}
