package dev.parley.server.chat;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.account.Usernames;
import dev.parley.server.cluster.ClusterEvents;
import dev.parley.server.config.ChatSettings;
import dev.parley.server.config.ConnectionLimits;
import dev.parley.server.metrics.SecurityLog;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.session.Session;
import dev.parley.server.session.Sessions;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.store.AppendResult;
import dev.parley.server.store.ConversationStore;
import dev.parley.server.store.FileRecord;
import dev.parley.server.store.LimitCells;
import dev.parley.server.store.Mention;
import dev.parley.server.store.MessageStore;
import dev.parley.server.store.NewMessage;
import dev.parley.server.store.ReadMark;
import dev.parley.server.store.StoredMessage;
import dev.parley.server.store.User;
import dev.parley.server.store.UserStore;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sending, fan-out, replay on welcome, and history. A send is acknowledged only after the
 * group-commit writer made it durable; the fan-out happens on that writer, in seq order.
 * Thread-safe.
 */
public final class ChatService {
  private static final Logger log = LoggerFactory.getLogger(ChatService.class);
  public static final int MAX_CLIENT_ID_LENGTH = 128;
  /** No session: the sender's every session gets the copy. */
  public static final long NO_SESSION = -1;

  private final UserStore users;
  private final MessageStore messages;
  private final MessageLog messageLog;
  private final DeliveryBus bus;
  private final ClusterEvents events;
  private final Sessions sessions;
  private final int maxTextChars;
  private final int replayPage;
  private final Executor database;
  private final Clock clock;
  private final ServerMetrics metrics;
  /** At most one {@code typing} per sender and conversation is relayed in this time. */
  private static final long TYPING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final int TYPING_ENTRIES_BEFORE_PRUNE = 10_000;

  private final ConversationStore conversations;
  private final RoomService rooms;
  private final MessageRevisions revisions;
  private final MessageSearch search;
  private final NotifyLevels notifyLevels;
  /** When each "sender:conversation" last had a typing frame relayed. */
  private final ConcurrentHashMap<String, Long> typingRelayed = new ConcurrentHashMap<>();
  private final MessageRateLimit rateLimit;
  /** Users never change name nor disappear, so a resolved recipient can be kept. */
  private final ConcurrentHashMap<String, User> usersByKey = new ConcurrentHashMap<>();

  public ChatService(
      UserStore users,
      MessageStore messages,
      ConversationStore conversations,
      MessageLog messageLog,
      LimitCells limits,
      DeliveryBus bus,
      ClusterEvents events,
      Sessions sessions,
      ChatSettings settings,
      ConnectionLimits connections,
      Executor database,
      Clock clock,
      ServerMetrics metrics,
      SecurityLog securityLog) {
    this.users = users;
    this.messages = messages;
    this.messageLog = messageLog;
    this.bus = bus;
    this.events = events;
    this.sessions = sessions;
    this.maxTextChars = settings.maxTextChars();
    this.replayPage = connections.replayPage();
    this.database = database;
    this.clock = clock;
    this.metrics = metrics;
    this.rateLimit = MessageRateLimit.of(settings.messageRate(), limits, database, clock, securityLog);
    this.conversations = conversations;
    this.rooms = new RoomService(conversations, messageLog, bus, this, settings.maxRoomMembers(), database, clock);
    this.revisions = new MessageRevisions(this, messages, messageLog, bus, clock);
    this.search = new MessageSearch(this, messages, conversations, database);
    this.notifyLevels = new NotifyLevels(this, conversations, events, database);
  }

  public RoomService rooms() {
    return rooms;
  }

  public MessageRevisions revisions() {
    return revisions;
  }

  public MessageSearch search() {
    return search;
  }

  public NotifyLevels notifyLevels() {
    return notifyLevels;
  }

  /**
   * Completes once the message is durable; a repeated client id gets the first acceptance
   * again. The recipient is resolved on the writer thread, so the messages of one connection are
   * stored in the order they arrived, whatever lookups they need.
   */
  public CompletableFuture<Accepted> send(Session origin, String clientId, String to, String text) {
    return send(origin.authenticated().user(), origin.id(), clientId, to, text);
  }

  /**
   * A send that comes from no live connection (HTTP): every session of the sender gets the copy.
   * {@code originSessionId} is the session that needs no copy, or {@link #NO_SESSION}. Every
   * transport's send comes here, so the sender's rate limit ({@code rate_limited}) applies to all
   * of them together; a refused send is not stored, and its id can be sent again.
   */
  public CompletableFuture<Accepted> send(User sender, long originSessionId, String clientId, String to, String text) {
    return send(sender, originSessionId, clientId, to, null, text);
  }

  /** To a user ({@code to}) or a room ({@code room}): exactly one of them is non-null. */
  public CompletableFuture<Accepted> send(
      User sender, long originSessionId, String clientId, String to, String room, String text) {
    CompletableFuture<Accepted> ack = new CompletableFuture<>();
    try {
      checkClientId(clientId);
      checkText(text);
      rateLimit.acquire(sender);
      messageLog.append(new Outgoing(sender, originSessionId, clientId, to, room, null, text, null, ack));
    } catch (ParleyException e) {
      ack.completeExceptionally(e);
    }
    return ack;
  }

  /**
   * The message that delivers a finished upload. Its client id is derived from the file id, so
   * completing the same upload twice (after a crash) stores one message.
   */
  public CompletableFuture<Accepted> sendFile(User sender, User recipient, FileRecord file) {
    CompletableFuture<Accepted> ack = new CompletableFuture<>();
    try {
      messageLog.append(new Outgoing(sender, NO_SESSION, "file:" + file.id(), null, null, recipient, null, file, ack));
    } catch (ParleyException e) {
      ack.completeExceptionally(e);
    }
    return ack;
  }

  /** The message that delivers a finished upload to a room; as {@link #sendFile}, one message per file. */
  public CompletableFuture<Accepted> sendFileToRoom(User sender, String room, FileRecord file) {
    CompletableFuture<Accepted> ack = new CompletableFuture<>();
    try {
      messageLog.append(new Outgoing(sender, NO_SESSION, "file:" + file.id(), null, room, null, null, file, ack));
    } catch (ParleyException e) {
      ack.completeExceptionally(e);
    }
    return ack;
  }

  /**
   * Registers an authenticated session for live messages, sends its welcome, and replays what it
   * missed, a page at a time: the next page is read only once the last frame of this one reached
   * the socket, so a long backlog never floods the session's bounded queue. The welcome leaves
   * only once the session is registered, so a client that has its welcome is online.
   */
  public void attach(Session session, ServerFrame.Welcome welcome, Long since) {
    if (since != null) {
      // Until we know the replay starts at or below the user's delivery cursor, what this
      // session gets does not move the cursor: a since above it skips messages never delivered.
      session.reportDeliveries(false);
    }
    session.open(welcome, () -> sessions.add(session));
    replayFrom(session, since, since == null ? 0 : since);
  }

  private void replayFrom(Session session, Long since, long cursor) {
    long userId = session.authenticated().user().id();
    String username = session.authenticated().user().username();
    CompletableFuture.supplyAsync(
            () -> {
              if (since == null) {
                return messages.undelivered(userId, cursor, replayPage);
              }
              if (cursor == since) {
                // What the client read is committed; a live feed lagging behind the database (a
                // node on a bus) must not send it again. A since past the log asks for live only.
                session.skipThrough(Math.min(since, messages.newestSeq()));
                if (since <= conversations.deliveredCursor(userId) || messageLog.isMarkedDelivered(userId, since)) {
                  session.reportDeliveries(true);
                }
              }
              return messages.since(userId, cursor, replayPage);
            },
            database)
        .whenComplete(
            (page, error) -> {
              if (error != null) {
                log.error("replay to {} failed", session, error);
                session.endReplay();
                return;
              }
              if (page.isEmpty()) {
                session.endReplay();
                return;
              }
              CompletableFuture<Void> pageWritten = new CompletableFuture<>();
              StoredMessage last = page.getLast();
              for (StoredMessage stored : page) {
                boolean isLast = stored == last;
                if (since == null && messageLog.isMarkedDelivered(userId, stored.seq())) {
                  if (isLast) {
                    pageWritten.complete(null);
                  }
                  continue;
                }
                boolean fromOther = !stored.from().equals(username);
                Runnable onWritten = () -> {
                  if (fromOther && session.reportsDeliveries()) {
                    messageLog.delivered(userId, stored.seq());
                  }
                  if (isLast) {
                    pageWritten.complete(null);
                  }
                };
                if (!session.replay(MessageFrames.message(stored), onWritten) && isLast) {
                  pageWritten.complete(null);
                }
              }
              if (page.size() < replayPage) {
                pageWritten.thenRun(session::endReplay);
              } else {
                pageWritten.thenRun(() -> replayFrom(session, since, last.seq()));
              }
            });
  }

  public void detach(Session session) {
    sessions.remove(session);
  }

  /** Forgets the message rate of users who have not sent for a while; the scheduled cleanup. */
  public void forgetIdleSenders() {
    rateLimit.forgetIdle();
  }

  /** The newest {@code pageSize} messages with the user before {@code before}, oldest first. */
  public CompletableFuture<List<StoredMessage>> history(User user, String with, Long before, int pageSize) {
    long beforeSeq = before == null ? Long.MAX_VALUE : before;
    return CompletableFuture.supplyAsync(
        () -> messages.directHistory(user.id(), resolveIncludingDeleted(with).id(), beforeSeq, pageSize), database);
  }

  /** The newest {@code pageSize} entries of a room the user is a member of, before {@code before}, oldest first. */
  public CompletableFuture<List<StoredMessage>> roomHistory(User user, String room, Long before, int pageSize) {
    long beforeSeq = before == null ? Long.MAX_VALUE : before;
    return CompletableFuture.supplyAsync(() -> {
      rooms.membership(user, room);
      return messages.roomHistory(roomConversation(room), beforeSeq, pageSize);
    }, database);
  }

  /**
   * Moves the user's read cursor of a conversation forward to {@code seq} (or the newest message
   * at or below it) and tells the user's other sessions; completes with the cursor's seq.
   */
  public CompletableFuture<ServerFrame.Read> read(Session origin, String requestId, String room, String with, long seq) {
    User user = origin.authenticated().user();
    return CompletableFuture.supplyAsync(() -> readNow(origin, user, requestId, room, with, seq), database)
        .thenCompose(reply -> reply);
  }

  /** Runs on a database thread; the reply completes once the cursor it reports is committed. */
  private CompletableFuture<ServerFrame.Read> readNow(
      Session origin, User user, String requestId, String room, String with, long seq) {
    if (seq < 0) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "seq must be at least 0");
    }
    long conversation;
    String withName = null;
    if (room != null) {
      rooms.membership(user, room);
      conversation = roomConversation(room);
    } else {
      User other = resolveIncludingDeleted(with);
      withName = other.username();
      var direct = conversations.directConversation(user.id(), other.id());
      if (direct.isEmpty()) {
        return CompletableFuture.completedFuture(new ServerFrame.Read(requestId, null, withName, 0));
      }
      conversation = direct.getAsLong();
    }
    String readWith = withName;
    ConversationStore.ReadCursor target = conversations.messageAtOrBefore(conversation, seq);
    ConversationStore.ReadCursor stored =
        conversations.readCursor(conversation, user.id()).orElse(new ConversationStore.ReadCursor(0, 0));
    ReadMark pending = messageLog.pendingRead(conversation, user.id());
    if (pending != null && pending.n() > stored.n() && target.n() <= pending.n()) {
      // Another request moved the cursor further and told the other sessions: answer once it is stored.
      return messageLog.read(pending).thenApply(done -> new ServerFrame.Read(requestId, room, readWith, pending.seq()));
    }
    if (target.n() <= stored.n()) {
      return CompletableFuture.completedFuture(new ServerFrame.Read(requestId, room, readWith, stored.seq()));
    }
    return messageLog.read(new ReadMark(conversation, user.id(), target.n(), target.seq())).thenApply(done -> {
      events.toUsers(List.of(user.id()), new ServerFrame.Read(null, room, readWith, target.seq()), origin.id());
      return new ServerFrame.Read(requestId, room, readWith, target.seq());
    });
  }

  public CompletableFuture<List<ConversationStore.Conversation>> conversations(User user) {
    return CompletableFuture.supplyAsync(() -> conversations.conversations(user.id()), database);
  }

  /**
   * Relays that the user is typing to the other members' live sessions, at most once per
   * conversation every two seconds; nothing is stored.
   */
  public CompletableFuture<Void> typing(Session origin, String room, String to) {
    User sender = origin.authenticated().user();
    return CompletableFuture.runAsync(() -> {
      List<Long> recipients;
      String conversationKey;
      if (room != null) {
        recipients = rooms.membership(sender, room).memberIds();
        conversationKey = "room " + room;
      } else {
        User other = resolveNow(to);
        recipients = List.of(other.id());
        conversationKey = "user " + other.id();
      }
      long now = System.nanoTime();
      String key = sender.id() + ":" + conversationKey;
      Long last = typingRelayed.get(key);
      if (last != null && now - last < TYPING_INTERVAL_NANOS) {
        return;
      }
      if (typingRelayed.size() > TYPING_ENTRIES_BEFORE_PRUNE) {
        typingRelayed.values().removeIf(at -> now - at >= TYPING_INTERVAL_NANOS);
      }
      typingRelayed.put(key, now);
      List<Long> others = recipients.stream().filter(recipient -> recipient != sender.id()).toList();
      events.toUsers(others, new ServerFrame.Typing(room, sender.username()), NO_SESSION);
    }, database);
  }

  private long roomConversation(String room) {
    return conversations.roomConversation(room).orElseThrow(() -> RoomService.noRoom(room));
  }

  /** A text or file message on its way through the group-commit writer. */
  private final class Outgoing implements MessageLog.Submission {
    private final User sender;
    private final long originSessionId;
    private final String clientId;
    private final String recipientName;
    private final String room;
    private final String text;
    private final FileRecord file;
    private final CompletableFuture<Accepted> ack;
    private User recipient;
    private List<Long> roomMembers;
    private List<Mention> mentions = List.of();

    Outgoing(
        User sender,
        long originSessionId,
        String clientId,
        String recipientName,
        String room,
        User recipient,
        String text,
        FileRecord file,
        CompletableFuture<Accepted> ack) {
      this.sender = sender;
      this.originSessionId = originSessionId;
      this.clientId = clientId;
      this.recipientName = recipientName;
      this.room = room;
      this.recipient = recipient;
      this.text = text;
      this.file = file;
      this.ack = ack;
    }

    @Override
    public NewMessage prepare() {
      if (room != null) {
        // The members now, on the writer, in seq order: who was removed before this gets nothing.
        RoomState members = rooms.membership(sender, room);
        roomMembers = members.memberIds();
        mentions = Mentions.in(text, members.members().values());
        return new NewMessage(sender.id(), 0, room, clientId, text, file, null, null, mentions, clock.millis());
      }
      if (recipient == null) {
        recipient = resolveNow(recipientName);
      }
      return new NewMessage(sender.id(), recipient.id(), clientId, text, file, clock.millis());
    }

    @Override
    public void committed(AppendResult result) {
      try {
        if (!result.duplicate()) {
          metrics.messageStored();
          StoredMessage stored = room != null
              ? new StoredMessage(result.seq(), room, sender.username(), false, null, text, file, null, null, null, false, false,
                  mentions.stream().map(Mention::username).toList(), result.createdAtMillis())
              : new StoredMessage(result.seq(), sender.username(), recipient.username(), text, file, result.createdAtMillis());
          List<Long> members = room != null ? roomMembers : List.of(recipient.id(), sender.id());
          bus.publish(MessageFrames.message(stored), sender.id(), members, originSessionId);
        }
      } finally {
        ack.complete(new Accepted(clientId, result.seq(), result.createdAtMillis()));
      }
    }

    @Override
    public void failed(ParleyException error) {
      ack.completeExceptionally(error);
    }
  }

  /** A conversation with a deleted account stays readable: its history is looked up past the deletion. */
  private User resolveIncludingDeleted(String username) {
    return users.findByKeyIncludingDeleted(Usernames.lookupKey(username))
        .orElseThrow(() -> new ParleyException(ErrorCode.NOT_FOUND, "no user '" + username + "'"));
  }

  /** A deleted account is no longer a recipient: it leaves the cache of users by name. */
  public void forget(User user) {
    usersByKey.remove(Usernames.key(user.username()));
  }

  /** As {@link #forget(User)}, for an account closed on another node, known by id. */
  public void forget(long userId) {
    usersByKey.values().removeIf(user -> user.id() == userId);
  }

  /** Blocks on the store on a cache miss: call it from the writer or the database executor only. */
  User resolveNow(String username) {
    String key = Usernames.lookupKey(username);
    User known = usersByKey.get(key);
    if (known != null) {
      return known;
    }
    User user = users.findByKey(key)
        .orElseThrow(() -> new ParleyException(ErrorCode.NOT_FOUND, "no user '" + username + "'"));
    usersByKey.put(key, user);
    return user;
  }

  void checkText(String text) {
    int length = text.codePointCount(0, text.length());
    if (length < 1) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "text is empty");
    }
    if (length > maxTextChars) {
      throw new ParleyException(ErrorCode.TOO_LARGE, "text is over " + maxTextChars + " characters");
    }
    if (!isWellFormed(text)) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "text has an unpaired surrogate");
    }
  }

  static void checkClientId(String clientId) {
    if (clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID_LENGTH) {
      throw new ParleyException(
          ErrorCode.BAD_REQUEST, "id must have 1 to " + MAX_CLIENT_ID_LENGTH + " characters");
    }
  }

  /** Whether every surrogate is paired, i.e. the text can travel as UTF-8 unchanged. */
  private static boolean isWellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
