package dev.parley.app;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley chat} end to end: typed into a JLine terminal over pipes, against a real server. */
@ParleyServerTest
@OwnServer
class ChatTerminalTest {
  @TempDir Path home;

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
    terminal = new DumbTerminal("test", Terminal.TYPE_DUMB, in, out, UTF_8);
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
}
