package dev.parley.app;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.ParleyClient;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.OwnServer;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.WsClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.jline.terminal.Terminal;
import org.jline.builtins.ScreenTerminal;
import org.jline.terminal.Size;
import org.jline.terminal.impl.DumbTerminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley chat} end to end: typed into a JLine terminal over pipes, against a real server. */
@ParleyServerTest
@OwnServer
class ChatTerminalTest {
  @TempDir Path home;

  private static final int COLUMNS = 120;
  private static final int ROWS = 40;

  private final TestServer server;
  private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
  private PipedOutputStream keyboard;
  private Terminal terminal;
  private Thread chat;

  ChatTerminalTest(TestServer server) {
    this.server = server;
  }

  @AfterEach
  void stop() throws Exception {
    keyboard.close();
    chat.join(Duration.ofSeconds(10));
    terminal.close();
  }

  private void startChat() throws IOException {
    startChat(false);
  }

  /**
   * With {@code screenTerminal}, a terminal of type {@code screen}, with colours and cursor
   * movement, whose output {@link #rendered()} replays on an emulated screen; else a dumb one.
   */
  private void startChat(boolean screenTerminal) throws IOException {
    PipedInputStream in = new PipedInputStream(64 * 1024);
    keyboard = new PipedOutputStream(in);
    OutputStream out = new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (screen) {
          screen.write(b);
        }
      }
    };
    if (screenTerminal) {
      terminal = new ExternalTerminal("test", "screen", in, out, UTF_8);
      terminal.setSize(new Size(COLUMNS, ROWS));
    } else {
      terminal = new DumbTerminal("test", Terminal.TYPE_DUMB, in, out, UTF_8);
    }
    CliEnvironment environment = new CliEnvironment(
        Map.of("PARLEY_CONFIG_DIR", home.resolve("config").toString(), "PARLEY_SERVER", server.http().toString()),
        new ByteArrayInputStream(new byte[0]), null, home, home);
    ChatTerminal chatTerminal = new ChatTerminal(terminal, environment, new ServerOption(),
        ChatSession.Settings.defaults(), Clock.systemDefaultZone());
    chat = Thread.ofPlatform().name("chat-under-test").start(chatTerminal::run);
  }

  private void type(String line) throws IOException {
    keyboard.write((line + "\n").getBytes(UTF_8));
    keyboard.flush();
  }

  private String screen() {
    synchronized (screen) {
      return screen.toString(UTF_8);
    }
  }

  /** What a person would see now: the output so far, played on an emulated {@code screen} terminal. */
  private String rendered() {
    ScreenTerminal emulated = new ScreenTerminal(COLUMNS, ROWS);
    emulated.write(screen());
    return emulated.toString();
  }

  private static int count(String text, String fragment) {
    return text.split(java.util.regex.Pattern.quote(fragment), -1).length - 1;
  }

  private void awaitScreen(String fragment) {
    await().atMost(Duration.ofSeconds(15)).until(() -> screen().contains(fragment));
  }

  @Test
  void logsInAtPromptsThenChatsAboveTheInputLine(TestUsers users) throws Exception {
    users.create("alice");
    users.create("bob");
    startChat();

    awaitScreen("log in or register?");
    type("l");
    type("alice");
    type(PASSWORD);
    awaitScreen("connected to " + server.http());
    assertThat(screen()).contains("logged in as alice").doesNotContain(PASSWORD).doesNotContain("\u001b[");
    assertThat(new CredentialsFile(home.resolve("config")).load()).hasValueSatisfying(l -> assertThat(l.username()).isEqualTo("alice"));

    try (WsClient bob = WsClient.connect(server.webSocket(), Map.of("Authorization", "Bearer " + users.login("bob").token()))) {
      bob.next(ServerFrame.Welcome.class);
      awaitScreen("-- bob is online");
      bob.sendMessage("m1", "alice", "hello alice");
      awaitScreen("<bob> hello alice");

      type("/to bob");
      awaitScreen("[bob] > ");
      type("hi bob!");
      assertThat(bob.nextMatching(ServerFrame.Message.class, m -> m.from().equals("alice")).text()).isEqualTo("hi bob!");
      awaitScreen("-> bob: hi bob!");

      type("/frobnicate");
      awaitScreen("!! unknown command /frobnicate");
    }
    awaitScreen("-- bob went offline");

    type("/quit");
    chat.join(Duration.ofSeconds(10));
    assertThat(chat.isAlive()).isFalse();
  }

  @Test
  void registersAtPromptsAndUsesTheSavedLoginNextTime() throws Exception {
    startChat();
    awaitScreen("log in or register?");
    type("r");
    type("carol");
    type(PASSWORD);
    type(PASSWORD);
    awaitScreen("registered carol");
    awaitScreen(" as carol; /help lists the commands");
    type("/quit");
    chat.join(Duration.ofSeconds(10));
    terminal.close();
    screen.reset();

    startChat();
    awaitScreen(" as carol; /help lists the commands");
    assertThat(screen()).doesNotContain("log in or register?");
    type("/quit");
  }

  @Test
  void eachOfMyLinesShowsOnceAndAHostileMessageShowsVisibleWithOneBell(TestUsers users) throws Exception {
    users.create("bob");
    CredentialsFile credentials = new CredentialsFile(home.resolve("config"));
    try (ParleyClient client = new ParleyClient(server.http())) {
      credentials.save(new SavedLogin(client.base().toString(), "alice", users.create("alice").token(), null));
    }
    startChat(true);
    awaitScreen(" as alice; /help lists the commands");

    try (WsClient bob = WsClient.connect(server.webSocket(), Map.of("Authorization", "Bearer " + users.login("bob").token()))) {
      bob.next(ServerFrame.Welcome.class);
      type("/to bob");
      awaitScreen("talking to bob");
      type("only once, please");
      assertThat(bob.nextMatching(ServerFrame.Message.class, m -> m.from().equals("alice")).text()).isEqualTo("only once, please");
      await().atMost(Duration.ofSeconds(15)).until(() -> rendered().contains("-> bob: only once, please"));
      assertThat(count(rendered(), "only once, please")).isEqualTo(1);
      assertThat(count(screen(), "\u0007")).isZero();

      bob.sendMessage("m1", "alice", "before\u001b[2J\u001b]0;pwned\u0007\rspoofed \u202Eevil");
      await().atMost(Duration.ofSeconds(15)).until(() -> rendered().contains("<bob> before^[[2J^[]0;pwned^G^Mspoofed \\u202Eevil"));
      String shown = rendered();
      assertThat(shown).contains("-> bob: only once, please"); // the screen was not cleared
      assertThat(screen()).doesNotContain("\u001b[2J", "\u001b]0;", "\u202e", "\r" + "spoofed");
      assertThat(count(screen(), "\u0007")).as("the bell for a direct message, and no BEL from its text").isEqualTo(1);
    }
    type("/quit");
  }
}
