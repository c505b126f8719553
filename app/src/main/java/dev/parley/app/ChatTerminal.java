package dev.parley.app;

import dev.parley.client.LoggedIn;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyClientException;
import dev.parley.protocol.ErrorCode;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.InfoCmp.Capability;

/**
 * The terminal side of {@code parley chat}: the prompt, login prompts when there is no saved
 * login, and printing the session's lines above whatever is being typed. All the chat logic is in
 * {@link ChatSession}; this class only moves lines between it and the terminal.
 */
final class ChatTerminal {
  private final Terminal terminal;
  private final CliEnvironment environment;
  private final ServerOption server;
  private final ChatSession.Settings settings;
  private final LineReader reader;
  private final ChatRenderer renderer;
  private volatile ChatSession session;

  ChatTerminal(Terminal terminal, CliEnvironment environment, ServerOption server, ChatSession.Settings settings, Clock clock) {
    this.terminal = terminal;
    this.environment = environment;
    this.server = server;
    this.settings = settings;
    this.reader = LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("parley")
        .completer(new ChatCompleter(
            () -> session == null ? List.of() : session.userNames(), () -> session == null ? List.of() : session.roomNames()))
        .build();
    // A chat line is text, not a shell command: "!" must not expand history, "\" must stay.
    reader.setOpt(LineReader.Option.DISABLE_EVENT_EXPANSION);
    // What was typed leaves the screen on Enter: the chat prints a sent line itself, with its time,
    // once the server has stored it, so leaving the typed one would show every message twice.
    reader.setOpt(LineReader.Option.ERASE_LINE_ON_FINISH);
    Integer colours = terminal.getNumericCapability(Capability.max_colors);
    boolean dumb = terminal.getType().startsWith(Terminal.TYPE_DUMB);
    this.renderer = new ChatRenderer(!dumb && ChatRenderer.wantsColour(environment, colours == null ? 0 : colours), clock);
  }

  /** Chats until /quit, /logout or end of input. */
  void run() {
    SignedIn signedIn = signIn();
    if (signedIn == null) {
      return;
    }
    try (signedIn; ChatSession chat = new ChatSession(signedIn.client(), signedIn.login(), environment, renderer, screen(), settings)) {
      chat.start();
      session = chat;
      while (true) {
        String line;
        try {
          line = reader.readLine(chat.prompt());
        } catch (UserInterruptException e) {
          continue; // Ctrl-C drops the line being typed, as in a shell
        } catch (EndOfFileException e) {
          return;
        }
        if (chat.handle(line) == ChatSession.Outcome.QUIT) {
          return;
        }
      }
    }
  }

  private void show(AttributedString line) {
    reader.printAbove(line);
  }

  private ChatSession.Screen screen() {
    return new ChatSession.Screen() {
      @Override
      public void show(AttributedString line) {
        ChatTerminal.this.show(line);
      }

      @Override
      public void bell() {
        synchronized (terminal) {
          terminal.puts(Capability.bell);
          terminal.flush();
        }
      }
    };
  }

  /**
   * The saved login if it is for this server; otherwise asks for one, offering to register, and
   * saves it as {@code parley login} does. Null when input ends first.
   */
  private SignedIn signIn() {
    try {
      return server.signedIn(environment);
    } catch (CommandFailedException notSaved) {
      // No login for this server yet: ask for one below.
    }
    ParleyClient client = server.anonymousClient(environment);
    try {
      show(renderer.notice("not logged in to " + client.base()));
      while (true) {
        try {
          LoggedIn login = askForLogin(client);
          SavedLogin saved = SavedLogin.of(client, login);
          new CredentialsFile(environment.configDir()).save(saved);
          show(renderer.notice("logged in as " + login.username() + "; the login is saved (/logout forgets it)"));
          return new SignedIn(client, saved);
        } catch (ParleyClientException e) {
          show(renderer.error(e.getMessage()));
        } catch (CommandFailedException e) {
          show(renderer.error(e.getMessage()));
        }
      }
    } catch (EndOfFileException | UserInterruptException e) {
      client.close();
      return null;
    }
  }

  private LoggedIn askForLogin(ParleyClient client) {
    String choice = reader.readLine("log in or register? [L/r] ").strip().toLowerCase(Locale.ROOT);
    boolean register = choice.startsWith("r");
    String username = reader.readLine("username: ").strip();
    if (username.isEmpty()) {
      throw new CommandFailedException("no username given");
    }
    String password = reader.readLine("password: ", LineReaderImpl.NULL_MASK);
    if (password.isEmpty()) {
      throw new CommandFailedException("no password given");
    }
    if (register) {
      if (!password.equals(reader.readLine("repeat password: ", LineReaderImpl.NULL_MASK))) {
        throw new CommandFailedException("the passwords do not match");
      }
      show(renderer.notice("registered " + client.register(username, password)));
    }
    try {
      return client.login(username, password);
    } catch (ParleyClientException e) {
      if (e.code() == ErrorCode.BAD_CREDENTIALS && !register) {
        throw new CommandFailedException(e.getMessage() + "; answer r to register a new account");
      }
      throw e;
    }
  }
}
