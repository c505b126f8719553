package dev.parley.app;

import dev.parley.client.Disconnect;
import dev.parley.client.JsonUploadUrlStore;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyClientException;
import dev.parley.client.ParleyConnection;
import dev.parley.client.UploadOptions;
import dev.parley.protocol.ByeReason;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jline.utils.AttributedString;

/**
 * The chat itself, without a terminal: the state (the {@code /to} target, the users and their
 * presence, the highest seq seen), what each typed line does, and the live connection, which it
 * keeps open with pings and reopens with backoff when it drops, catching up from the highest seq
 * seen. Everything it has to say goes to a {@link Screen} as finished lines.
 *
 * <p>Thread-safety: {@link #handle} is called by one thread (the prompt's); frames, reconnects and
 * transfers run on other threads, so the shared state is in concurrent structures and the
 * screen must accept lines from any thread.
 */
final class ChatSession implements AutoCloseable {
  /** Where lines go; called from several threads, and must not block for long. */
  @FunctionalInterface
  interface Screen {
    void show(AttributedString line);
  }

  /**
   * Timings.
   *
   * @param firstRetry the wait before the first reconnect; it doubles after each failure
   * @param maxRetry the longest wait between reconnects
   * @param pingEvery how often to ping: the server drops a connection it hears nothing from for its
   *     idle timeout (120 s by default)
   */
  record Settings(Duration firstRetry, Duration maxRetry, Duration pingEvery) {
    static Settings defaults() {
      return new Settings(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(45));
    }
  }

  enum Outcome { CONTINUE, QUIT }

  private final ParleyClient client;
  private final SavedLogin login;
  private final CliEnvironment environment;
  private final ChatRenderer renderer;
  private final Screen screen;
  private final Settings settings;
  /** Name → online, sorted as the server sorts: by name ignoring case. */
  private final Map<String, Boolean> users = new ConcurrentSkipListMap<>(String.CASE_INSENSITIVE_ORDER);
  /** Seqs of my messages already shown when acked, so that a catch-up does not show them twice. */
  private final Set<Long> shownSeqs = ConcurrentHashMap.newKeySet();
  private final AtomicLong highestSeq = new AtomicLong();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(daemon("parley-chat-timer"));
  /** Transfers run apart from the prompt, so that chatting goes on while a file moves. */
  private final ExecutorService transfers = Executors.newCachedThreadPool(daemon("parley-chat-transfer"));
  private volatile ParleyConnection connection;
  private volatile String target;
  private volatile boolean closing;

  ChatSession(ParleyClient client, SavedLogin login, CliEnvironment environment, ChatRenderer renderer, Screen screen,
      Settings settings) {
    this.client = client;
    this.login = login;
    this.environment = environment;
    this.renderer = renderer;
    this.screen = screen;
    this.settings = settings;
  }

  /**
   * Fetches the users, connects (getting what arrived while away) and starts watching everyone.
   *
   * @throws ParleyClientException with {@code unauthorized} when the saved token is no longer valid
   */
  void start() {
    refreshUsers();
    open(null);
    long every = settings.pingEvery().toMillis();
    timers.scheduleAtFixedRate(this::ping, every, every, TimeUnit.MILLISECONDS);
    screen.show(renderer.notice("connected to " + client.base() + " as " + login.username() + "; /help lists the commands"));
  }

  String me() {
    return login.username();
  }

  /** The user plain lines go to, or null. */
  String target() {
    return target;
  }

  List<String> userNames() {
    return List.copyOf(users.keySet());
  }

  long highestSeq() {
    return highestSeq.get();
  }

  Outcome handle(String line) {
    switch (ChatInput.parse(line)) {
      case ChatInput.Blank blank -> {}
      case ChatInput.Say say -> {
        if (target == null) {
          screen.show(renderer.error("to whom? /to NAME first, or /msg NAME TEXT"));
        } else {
          send(target, say.text());
        }
      }
      case ChatInput.Msg msg -> send(msg.to(), msg.text());
      case ChatInput.To to -> chooseTarget(to.to());
      case ChatInput.Users list -> listUsers();
      case ChatInput.History history -> showHistory(history.limit());
      case ChatInput.Send send -> upload(send.to(), send.path());
      case ChatInput.Get get -> download(get.id(), get.path());
      case ChatInput.Help help -> ChatInput.HELP.forEach(text -> screen.show(renderer.plain(text)));
      case ChatInput.Invalid invalid -> screen.show(renderer.error(invalid.message()));
      case ChatInput.Logout logout -> {
        return logout();
      }
      case ChatInput.Quit quit -> {
        return Outcome.QUIT;
      }
    }
    return Outcome.CONTINUE;
  }

  @Override
  public void close() {
    closing = true;
    timers.shutdownNow();
    transfers.shutdownNow();
    ParleyConnection open = connection;
    if (open != null) {
      open.close();
    }
  }

  private void open(Long since) {
    ParleyConnection opened = client.connect(login.token(), since, this::onFrame);
    connection = opened;
    opened.closed().thenAccept(disconnect -> onClosed(opened, disconnect));
    watchEveryone(opened);
  }

  private void watchEveryone(ParleyConnection open) {
    List<String> others = users.keySet().stream().filter(name -> !name.equalsIgnoreCase(me())).toList();
    open.watch(others);
  }

  /** Runs on the connection's thread, one frame at a time; must not block. */
  private void onFrame(ServerFrame frame) {
    switch (frame) {
      case ServerFrame.Message message -> {
        highestSeq.accumulateAndGet(message.seq(), Math::max);
        if (shownSeqs.add(message.seq())) {
          screen.show(renderer.message(message, me()));
        }
      }
      case ServerFrame.Presence presence -> {
        // Watching answers with everyone's current state; only changes are news.
        Boolean before = users.put(presence.username(), presence.online());
        if (before == null || before != presence.online()) {
          screen.show(renderer.presence(presence));
        }
      }
      case ServerFrame.Error error -> screen.show(renderer.error(error.message()));
      default -> {}
    }
  }

  private void onClosed(ParleyConnection closed, Disconnect disconnect) {
    if (closing || closed != connection) {
      return;
    }
    String reason = disconnect.byeReason();
    if (ByeReason.LOGOUT.equals(reason) || ByeReason.TOKEN_REVOKED.equals(reason)) {
      screen.show(renderer.error("logged out elsewhere; /quit and run parley chat again to log in"));
      return;
    }
    screen.show(renderer.notice("disconnected" + (reason == null ? "" : " (" + reason + ")")));
    reconnectAfter(settings.firstRetry());
  }

  private void reconnectAfter(Duration delay) {
    if (closing) {
      return;
    }
    screen.show(renderer.notice("reconnecting in " + seconds(delay) + "…"));
    timers.schedule(() -> reconnect(delay), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void reconnect(Duration lastDelay) {
    if (closing) {
      return;
    }
    long since = highestSeq.get();
    try {
      // Without a seq seen yet, "what was not delivered" is exactly what we missed.
      open(since > 0 ? since : null);
      screen.show(renderer.notice("reconnected, caught up" + (since > 0 ? " since #" + since : "")));
    } catch (ParleyClientException e) {
      if (e.code() == ErrorCode.UNAUTHORIZED) {
        screen.show(renderer.error("the saved login is no longer valid; /logout, then run parley chat again"));
        return;
      }
      screen.show(renderer.error("reconnect failed: " + e.getMessage()));
      reconnectAfter(next(lastDelay));
    } catch (RuntimeException e) {
      screen.show(renderer.error("reconnect failed: " + describe(e)));
      reconnectAfter(next(lastDelay));
    }
  }

  private Duration next(Duration delay) {
    Duration doubled = delay.multipliedBy(2);
    return doubled.compareTo(settings.maxRetry()) > 0 ? settings.maxRetry() : doubled;
  }

  private void ping() {
    ParleyConnection open = connection;
    if (open != null && !open.closed().isDone()) {
      open.ping().exceptionally(e -> null); // a failed ping shows up as a closed connection
    }
  }

  private void send(String to, String text) {
    ParleyConnection open = connection;
    if (open == null || open.closed().isDone()) {
      screen.show(renderer.error("not connected; not sent (reconnecting)"));
      return;
    }
    open.sendMessage(to, text).whenComplete((ack, failure) -> {
      if (failure != null) {
        screen.show(renderer.error("not sent to " + to + ": " + describe(failure)));
      } else if (shownSeqs.add(ack.seq())) {
        screen.show(renderer.message(new ServerFrame.Message(ack.seq(), me(), to, text, ack.ts()), me()));
      }
    });
  }

  private void chooseTarget(String name) {
    if (name == null) {
      target = null;
      screen.show(renderer.notice("talking to nobody; /to NAME to pick someone"));
      return;
    }
    String known = knownUser(name);
    if (known == null) {
      screen.show(renderer.error("no user " + name + "; /users lists them"));
      return;
    }
    target = known;
    screen.show(renderer.notice("talking to " + known + "; plain lines go there"));
  }

  /** The user as the server spells the name, refreshing the list once if it is not known yet. */
  private String knownUser(String name) {
    for (int attempt = 0; attempt < 2; attempt++) {
      for (String user : users.keySet()) {
        if (user.equalsIgnoreCase(name)) {
          return user;
        }
      }
      if (attempt == 0 && !tryRefreshUsers()) {
        return null;
      }
    }
    return null;
  }

  private void listUsers() {
    if (!tryRefreshUsers()) {
      return;
    }
    List<String> online = new ArrayList<>();
    List<String> offline = new ArrayList<>();
    users.forEach((name, isOnline) -> (isOnline ? online : offline).add(name));
    screen.show(renderer.plain("online:  " + (online.isEmpty() ? "-" : String.join(", ", online))));
    screen.show(renderer.plain("offline: " + (offline.isEmpty() ? "-" : String.join(", ", offline))));
  }

  private boolean tryRefreshUsers() {
    try {
      refreshUsers();
      ParleyConnection open = connection;
      if (open != null && !open.closed().isDone()) {
        watchEveryone(open); // someone new may have registered
      }
      return true;
    } catch (RuntimeException e) {
      screen.show(renderer.error("cannot list users: " + describe(e)));
      return false;
    }
  }

  private void refreshUsers() {
    // The server's first page (its default limit); enough to complete names and watch them.
    for (ServerFrame.UserEntry user : client.users(login.token(), null, null, null)) {
      users.put(user.username(), user.online());
    }
  }

  private void showHistory(int limit) {
    String with = target;
    if (with == null) {
      screen.show(renderer.error("history with whom? /to NAME first"));
      return;
    }
    try {
      List<ServerFrame.Message> collected = new ArrayList<>();
      Long before = null;
      // The server caps a page, so a larger limit is fetched page by page, backwards.
      while (collected.size() < limit) {
        List<ServerFrame.Message> page = client.messages(login.token(), with, before, limit - collected.size());
        if (page.isEmpty()) {
          break;
        }
        collected.addAll(0, page);
        before = page.getFirst().seq();
      }
      screen.show(renderer.notice(collected.isEmpty() ? "no messages with " + with : "the last " + collected.size() + " with " + with + ":"));
      collected.forEach(message -> screen.show(renderer.message(message, me())));
    } catch (RuntimeException e) {
      screen.show(renderer.error("cannot fetch the history: " + describe(e)));
    }
  }

  private void upload(String to, String path) {
    Path file = environment.resolve(path);
    if (!Files.isRegularFile(file)) {
      screen.show(renderer.error(Files.exists(file) ? path + " is not a file" : "no file " + path));
      return;
    }
    ChatProgress progress = new ChatProgress(screen, renderer, file.getFileName().toString());
    transfers.execute(() -> {
      try {
        UploadOptions options = UploadOptions.defaults()
            .withUrlStore(new JsonUploadUrlStore(environment.configDir().resolve(UploadCommand.URL_STORE)))
            .withProgress(progress);
        ServerFrame.Message sent = client.upload(login.token(), file, to, options);
        if (shownSeqs.add(sent.seq())) {
          screen.show(renderer.message(sent, me()));
        }
      } catch (RuntimeException e) {
        screen.show(renderer.error("upload of " + path + " stopped: " + describe(e) + "; /send again to resume"));
      }
    });
  }

  private void download(String id, String path) {
    transfers.execute(() -> {
      try {
        Path target = downloadTarget(id, path);
        if (Files.exists(target)) {
          screen.show(renderer.error(target + " exists; /get " + id + " PATH to save it elsewhere"));
          return;
        }
        Path saved = client.download(login.token(), id, target, new ChatProgress(screen, renderer, target.getFileName().toString()));
        screen.show(renderer.notice("saved " + saved));
      } catch (RuntimeException e) {
        screen.show(renderer.error("download of " + id + " stopped: " + describe(e) + "; /get again to resume"));
      }
    });
  }

  /** As {@code parley download}: PATH, or the sender's file name (made safe by the library) in PATH or here. */
  private Path downloadTarget(String id, String path) {
    Path chosen = path == null ? null : environment.resolve(path);
    if (chosen != null && !Files.isDirectory(chosen)) {
      return chosen;
    }
    String name = client.fileInfo(login.token(), id).name();
    return (chosen != null ? chosen : environment.workingDir()).resolve(name);
  }

  private Outcome logout() {
    try {
      client.logout(login.token());
    } catch (ParleyClientException e) {
      if (e.code() != ErrorCode.UNAUTHORIZED) {
        screen.show(renderer.error("cannot log out: " + e.getMessage()));
        return Outcome.CONTINUE;
      }
    } catch (RuntimeException e) {
      // Unreachable: the token is still valid, so keep it, that a later /logout can revoke it.
      screen.show(renderer.error("cannot log out: " + describe(e)));
      return Outcome.CONTINUE;
    }
    closing = true; // the server now closes our connection; that is no reason to reconnect
    new CredentialsFile(environment.configDir()).delete();
    screen.show(renderer.notice("logged out " + me() + "; the saved login is forgotten"));
    return Outcome.QUIT;
  }

  static String seconds(Duration delay) {
    long millis = delay.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  private static String describe(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return Thread.ofPlatform().name(name).daemon().factory();
  }
}
