package dev.parley.app;

import dev.parley.client.Disconnect;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyClientException;
import dev.parley.client.ParleyConnection;
import dev.parley.protocol.ByeReason;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.ServerFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jline.utils.AttributedString;

/**
 * The chat itself, without a terminal: the state (the {@code /to} target, a user or a room, the
 * users and their presence, the rooms, the highest seq seen), what each typed line does, and the
 * live connection, which it
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

    /** Rings the terminal's bell; nothing where there is no terminal. */
    default void bell() {}
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

  /** A conversation, where plain lines go: a user or a room (its id), exactly one. */
  record Target(String user, String room) {}

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
  private final ChatRooms rooms;
  private final ChatEdits edits;
  private final ChatBell bell;
  /**
   * Room messages whose room's name is being looked up, in order; later messages wait behind
   * them, so that lines never appear out of order. Used on the connection's thread only (one
   * connection's after another's, across reconnects).
   */
  private volatile CompletableFuture<Void> shownInOrder = CompletableFuture.completedFuture(null);
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(daemon("parley-chat-timer"));
  private final ChatTransfers transfers;
  private volatile ParleyConnection connection;
  private volatile Target target;
  private volatile boolean closing;

  ChatSession(ParleyClient client, SavedLogin login, CliEnvironment environment, ChatRenderer renderer, Screen screen,
      Settings settings) {
    this.client = client;
    this.login = login;
    this.environment = environment;
    this.renderer = renderer;
    this.screen = screen;
    this.settings = settings;
    this.transfers = new ChatTransfers(client, login.token(), environment, renderer, screen);
    this.rooms = new ChatRooms(renderer, screen, () -> connection);
    this.bell = new ChatBell(login.username(), renderer, screen);
    this.edits = new ChatEdits(client, login, renderer, screen, () -> connection, shownSeqs, this::roomLabel);
  }

  /**
   * Fetches the users, connects (getting what arrived while away), fetches the user's rooms and
   * starts watching everyone.
   *
   * @throws ParleyClientException with {@code unauthorized} when the saved token is no longer valid
   */
  void start() {
    refreshUsers();
    open(null);
    try {
      rooms.replaceMine(SignedIn.await(connection.rooms()));
    } catch (ParleyClientException e) {
      // A server from before rooms: chatting with users works all the same.
    }
    try {
      SignedIn.await(connection.conversations()).stream().filter(c -> c.notifyLevel() != null)
          .forEach(c -> bell.levelIs(new Target(c.with(), c.room()), c.notifyLevel()));
    } catch (ParleyClientException e) {
      // A server from before notification levels: the bell rings for every direct message and mention.
    }
    long every = settings.pingEvery().toMillis();
    timers.scheduleAtFixedRate(this::ping, every, every, TimeUnit.MILLISECONDS);
    screen.show(renderer.notice("connected to " + client.base() + " as " + login.username() + "; /help lists the commands"));
  }

  String me() {
    return login.username();
  }

  /** Where plain lines go, as the prompt shows it: a user's name, a room's {@code #name}, or null. */
  String target() {
    Target current = target;
    if (current == null) {
      return null;
    }
    return current.user() != null ? current.user() : rooms.label(current.room());
  }

  /** What the prompt says: the delete question while one is asked, else the {@code /to} target. */
  String prompt() {
    ChatEdits.PendingDelete pending = edits.pending();
    if (pending != null) {
      return "delete #" + pending.seq() + "? [y/N] ";
    }
    String to = target();
    return to == null ? "> " : "[" + TerminalText.visible(to) + "] > "; // a room's name is others' text
  }

  List<String> userNames() {
    return List.copyOf(users.keySet());
  }

  /** What completes to a room: the user's rooms, then the open rooms last listed. */
  List<String> roomNames() {
    return rooms.completions();
  }

  long highestSeq() {
    return highestSeq.get();
  }

  Outcome handle(String line) {
    if (edits.pending() != null) {
      edits.answer(line);
      return Outcome.CONTINUE;
    }
    switch (ChatInput.parse(line)) {
      case ChatInput.Blank blank -> {}
      case ChatInput.Say say -> {
        Target current = target;
        if (current == null) {
          screen.show(renderer.error("to whom? /to NAME or /to #ROOM first, or /msg NAME TEXT"));
        } else {
          send(current, say.text());
        }
      }
      case ChatInput.Msg msg -> {
        Target to = addressee(msg.to());
        if (to != null) {
          send(to, msg.text());
        }
      }
      case ChatInput.To to -> chooseTarget(to.to());
      case ChatInput.Users list -> listUsers();
      case ChatInput.Rooms list -> rooms.list();
      case ChatInput.Create create -> enter(rooms.create(create.name(), create.users(), create.open()));
      case ChatInput.Join join -> enter(rooms.join(join.room()));
      case ChatInput.Leave leave -> leave(leave.room());
      case ChatInput.History history -> showHistory(history.limit());
      case ChatInput.Search search -> search(search.everywhere() ? null : target, search.query());
      case ChatInput.Edit edit -> {
        Target in = conversation("edit");
        if (in != null) {
          edits.edit(in, edit.seq(), edit.text());
        }
      }
      case ChatInput.Delete delete -> {
        Target in = conversation("delete");
        if (in != null) {
          edits.askToDelete(in, delete.seq());
        }
      }
      case ChatInput.Notify notify -> {
        Target in = conversation("notify");
        if (in != null) {
          try {
            bell.setLevel(in, notify.level(), level -> SignedIn.await(connected().notifyLevel(in.room(), in.user(), level)));
          } catch (RuntimeException e) {
            screen.show(renderer.error("cannot set notify: " + describe(e)));
          }
        }
      }
      case ChatInput.Send send -> {
        Target to = addressee(send.to());
        if (to != null) {
          String room = to.room();
          transfers.upload(send.path(), to.user(), room, sent -> {
            if (shownSeqs.add(sent.seq())) {
              screen.show(renderer.message(sent, me(), room != null ? rooms.label(room) : null));
            }
          });
        }
      }
      case ChatInput.Get get -> transfers.download(get.id(), get.path());
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
    transfers.close();
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
          onMessage(message);
        }
      }
      case ServerFrame.User user -> {
        // Someone registered: completable at once, and watched so that their presence shows.
        if (users.putIfAbsent(user.username(), user.online()) == null) {
          watchEveryone(connection);
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
      case ServerFrame.Notify notify -> bell.levelIs(new Target(notify.with(), notify.room()), notify.level());
      default -> {}
    }
  }

  /** A message not shown yet; on the connection's thread. */
  private void onMessage(ServerFrame.Message message) {
    String room = message.room();
    if (room == null) {
      screen.show(renderer.message(message, me()));
      bell.ringIfWanted(message);
      markReadIfViewed(message);
      return;
    }
    Target current = target;
    if (rooms.apply(message, me()) && current != null && room.equals(current.room())) {
      target = null;
      if (message.event().kind() == EventKind.REMOVED) { // leaving says so itself
        screen.show(renderer.notice("you are no longer in " + rooms.label(room) + "; plain lines go nowhere now"));
      }
    }
    if (rooms.nameOf(room) == null || !shownInOrder.isDone()) {
      shownInOrder = shownInOrder.thenCompose(ignored -> rooms.lookUpName(room)).thenRun(() -> showRoomMessage(message));
    } else {
      showRoomMessage(message);
    }
  }

  private void showRoomMessage(ServerFrame.Message message) {
    screen.show(renderer.message(message, me(), rooms.label(message.room())));
    bell.ringIfWanted(message);
    markReadIfViewed(message);
  }

  /** Others' messages in the conversation being viewed are read as they arrive: say so to the server. */
  private void markReadIfViewed(ServerFrame.Message message) {
    Target current = target;
    ParleyConnection open = connection;
    if (current == null || open == null || message.from().equals(me())) {
      return;
    }
    if (message.room() != null ? message.room().equals(current.room()) : message.from().equals(current.user())) {
      markRead(open, current, message.seq());
    }
  }

  private static void markRead(ParleyConnection open, Target conversation, long seq) {
    // Nothing to tell the user when it fails: the unread count stays a little high.
    (conversation.room() != null ? open.readRoom(conversation.room(), seq) : open.readDirect(conversation.user(), seq))
        .exceptionally(e -> null);
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

  private void send(Target to, String text) {
    ParleyConnection open = connection;
    if (open == null || open.closed().isDone()) {
      screen.show(renderer.error("not connected; not sent (reconnecting)"));
      return;
    }
    String room = to.room();
    (room != null ? open.sendToRoom(room, text) : open.sendMessage(to.user(), text)).whenComplete((ack, failure) -> {
      if (failure != null) {
        // The typed line is gone from the screen (see ChatTerminal): say what was not sent.
        screen.show(renderer.error("not sent to " + (room != null ? rooms.label(room) : to.user()) + ": " + describe(failure)
            + "; the text was: " + text));
      } else if (shownSeqs.add(ack.seq())) {
        ServerFrame.Message sent = new ServerFrame.Message(ack.seq(), room, me(), to.user(), text, null, null, ack.ts());
        screen.show(renderer.message(sent, me(), room != null ? rooms.label(room) : null));
      }
    });
  }

  /** The user or the user's room that a {@code NAME|#ROOM} word names; null (and says why) when none. */
  private Target addressee(String word) {
    if (RoomNames.isRoom(word)) {
      RoomNames.Known room = rooms.mine(word);
      return room == null ? null : new Target(null, room.id());
    }
    String known = knownUser(word);
    if (known == null) {
      screen.show(renderer.error("no user " + word + "; /users lists them"));
      return null;
    }
    return new Target(known, null);
  }

  private void chooseTarget(String name) {
    if (name == null) {
      target = null;
      screen.show(renderer.notice("talking to nobody; /to NAME or /to #ROOM to pick a conversation"));
      return;
    }
    Target chosen = addressee(name);
    if (chosen == null) {
      return;
    }
    target = chosen;
    if (chosen.user() != null) {
      screen.show(renderer.notice("talking to " + chosen.user() + "; plain lines go there"));
      return;
    }
    long unread = rooms.unread(chosen.room());
    screen.show(renderer.notice("talking in " + rooms.label(chosen.room()) + "; plain lines go there"
        + (unread > 0 ? " (" + unread + " unread: /history shows them)" : "")));
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
    Target with = target;
    if (with == null) {
      screen.show(renderer.error("history of what? /to NAME or /to #ROOM first"));
      return;
    }
    String label = with.room() != null ? "in " + rooms.label(with.room()) : "with " + with.user();
    try {
      List<ServerFrame.Message> collected = new ArrayList<>();
      Long before = null;
      // The server caps a page, so a larger limit is fetched page by page, backwards.
      while (collected.size() < limit) {
        int wanted = limit - collected.size();
        List<ServerFrame.Message> page = page(client, login.token(), with, before, wanted);
        if (page.isEmpty()) {
          break;
        }
        collected.addAll(0, page);
        before = page.getFirst().seq();
      }
      screen.show(renderer.notice(collected.isEmpty() ? "no messages " + label : "the last " + collected.size() + " " + label + ":"));
      String room = with.room() != null ? rooms.label(with.room()) : null;
      collected.forEach(message -> screen.show(renderer.listed(message, me(), room)));
      ParleyConnection open = connection;
      if (!collected.isEmpty() && open != null) {
        markRead(open, with, collected.getLast().seq());
      }
    } catch (RuntimeException e) {
      screen.show(renderer.error("cannot fetch the history: " + describe(e)));
    }
  }

  /** One page of a conversation's history: its newest {@code limit} messages below {@code before}, oldest first. */
  static List<ServerFrame.Message> page(ParleyClient client, String token, Target in, Long before, int limit) {
    return in.room() != null ? client.roomMessages(token, in.room(), before, limit) : client.messages(token, in.user(), before, limit);
  }

  /** {@code #lab} for a room, null for a direct conversation: as {@link ChatRenderer} takes it. */
  private String roomLabel(Target in) {
    return in.room() != null ? rooms.label(in.room()) : null;
  }

  /** The {@code /to} conversation, which {@code what} needs; null (and says so) when there is none. */
  private Target conversation(String what) {
    Target in = target;
    if (in == null) {
      screen.show(renderer.error(what + " in which conversation? /to NAME or /to #ROOM first"));
    }
    return in;
  }

  /** {@code /search}: in conversation {@code in}, or in all of the user's when null; oldest hit first, as /history. */
  private void search(Target in, String query) {
    String where = in == null ? "in all your conversations" : in.room() != null ? "in " + rooms.label(in.room()) : "with " + in.user();
    try {
      List<ServerFrame.Message> hits = SignedIn.await(connected().search(query, in == null ? null : in.room(),
          in == null ? null : in.user(), null, null));
      if (hits.isEmpty()) {
        screen.show(renderer.notice("nothing matches \"" + query + "\" " + where));
        return;
      }
      screen.show(renderer.notice((hits.size() == 1 ? "1 message matches \"" : hits.size() + " newest messages matching \"")
          + query + "\" " + where + ", oldest first:"));
      hits.reversed().forEach(hit -> screen.show(renderer.listed(hit, me(), hit.room() != null ? rooms.label(hit.room()) : null)));
    } catch (RuntimeException e) {
      screen.show(renderer.error("cannot search: " + describe(e)));
    }
  }

  private ParleyConnection connected() {
    ParleyConnection open = connection;
    if (open == null || open.closed().isDone()) {
      throw new CommandFailedException("not connected (reconnecting)");
    }
    return open;
  }

  /** Now in {@code room} (null when creating or joining it failed): it becomes the target. */
  private void enter(ServerFrame.RoomInfo room) {
    if (room != null) {
      target = new Target(null, room.room());
      screen.show(renderer.notice("talking in " + rooms.label(room.room()) + "; plain lines go there"));
    }
  }

  private void leave(String given) {
    Target current = target;
    String room;
    if (given != null) {
      RoomNames.Known known = rooms.mine(given);
      if (known == null) {
        return;
      }
      room = known.id();
    } else if (current != null && current.room() != null) {
      room = current.room();
    } else {
      screen.show(renderer.error("leave which room? /leave #ROOM, or /to #ROOM first"));
      return;
    }
    if (rooms.leave(room) && target != null && room.equals(target.room())) {
      target = null;
    }
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

  static String describe(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }

  static ThreadFactory daemon(String name) {
    return Thread.ofPlatform().name(name).daemon().factory();
  }
}
