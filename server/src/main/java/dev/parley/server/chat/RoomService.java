package dev.parley.server.chat;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.ParleyException;
import dev.parley.protocol.RoomRole;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.store.AppendResult;
import dev.parley.server.store.ConversationStore;
import dev.parley.server.store.NewMessage;
import dev.parley.server.store.RoomChange;
import dev.parley.server.store.StoredMessage;
import dev.parley.server.store.User;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Rooms: creating them and changing who is in them, each change an entry in the room's log that
 * goes through the group-commit writer like a message, so that it has its place in seq order.
 * The current state of each room in use is kept here, changed on the writer thread as entries are
 * accepted; a message to a room is delivered to the members of the state it was accepted under.
 * Requests are checked against that state on the database executor, and once more on the writer.
 * Thread-safe.
 */
public final class RoomService {
  public static final int MAX_NAME_CHARS = 64;
  public static final int DIRECTORY_MAX = 1000;
  private static final String KEY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
  private static final int KEY_LENGTH = 10;

  private final ConversationStore store;
  private final MessageLog messageLog;
  private final DeliveryBus bus;
  private final ChatService chat;
  private final int maxMembers;
  private final Executor database;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  /** Rooms in use by key; an absent room is read from the store on first use. */
  private final ConcurrentHashMap<String, RoomState> rooms = new ConcurrentHashMap<>();

  public RoomService(
      ConversationStore store, MessageLog messageLog, DeliveryBus bus, ChatService chat, int maxMembers, Executor database, Clock clock) {
    this.store = store;
    this.messageLog = messageLog;
    this.bus = bus;
    this.chat = chat;
    this.maxMembers = maxMembers;
    this.database = database;
    this.clock = clock;
  }

  public CompletableFuture<ServerFrame.RoomInfo> create(User owner, String rawName, List<String> memberNames, boolean open) {
    return CompletableFuture.supplyAsync(() -> {
      String name = checkName(rawName);
      Map<Long, User> members = new LinkedHashMap<>();
      for (String username : memberNames) {
        User user = chat.resolveNow(username);
        if (user.id() != owner.id()) {
          members.putIfAbsent(user.id(), user);
        }
      }
      checkSize(members.size() + 1);
      String key = newKey();
      List<Entry> entries = new ArrayList<>();
      entries.add(new Entry(owner, key, new RoomChange(EventKind.CREATED, owner.id(), name, open), owner, null));
      members.values().forEach(user -> entries.add(new Entry(owner, key, new RoomChange(EventKind.ADDED, user.id(), null, false), user, null)));
      return entries;
    }, database).thenCompose(this::submit);
  }

  public CompletableFuture<ServerFrame.RoomInfo> addMembers(User actor, String key, List<String> usernames) {
    return CompletableFuture.supplyAsync(() -> {
      RoomState room = visible(actor, key);
      if (!room.isMember(actor.id())) {
        throw notMember(key);
      }
      if (!room.open() && !room.role(actor.id()).manages()) {
        throw forbidden();
      }
      Map<Long, User> added = new LinkedHashMap<>();
      for (String username : usernames) {
        User user = chat.resolveNow(username);
        if (!room.isMember(user.id())) {
          added.putIfAbsent(user.id(), user);
        }
      }
      checkSize(room.members().size() + added.size());
      return added.values().stream()
          .map(user -> new Entry(actor, key, new RoomChange(EventKind.ADDED, user.id(), null, false), user, null))
          .toList();
    }, database).thenCompose(entries -> entries.isEmpty() ? room(actor, key) : submit(entries));
  }

  public CompletableFuture<ServerFrame.RoomInfo> removeMember(User actor, String key, String username) {
    return CompletableFuture.supplyAsync(() -> {
      RoomState room = visible(actor, key);
      RoomRole role = managerRole(room, actor);
      User user = chat.resolveNow(username);
      if (user.id() == actor.id()) {
        throw new ParleyException(ErrorCode.BAD_REQUEST, "use leave to leave a room");
      }
      RoomRole theirs = room.role(user.id());
      if (theirs == null) {
        throw new ParleyException(ErrorCode.NOT_FOUND, "'" + username + "' is not a member of room '" + key + "'");
      }
      if (theirs == RoomRole.OWNER || (theirs == RoomRole.ADMIN && role != RoomRole.OWNER)) {
        throw forbidden();
      }
      return List.of(new Entry(actor, key, new RoomChange(EventKind.REMOVED, user.id(), null, false), user, null));
    }, database).thenCompose(this::submit);
  }

  public CompletableFuture<String> leave(User user, String key) {
    return CompletableFuture.supplyAsync(() -> {
      RoomState room = visible(user, key);
      if (!room.isMember(user.id())) {
        throw notMember(key);
      }
      return List.of(new Entry(user, key, new RoomChange(EventKind.LEFT, user.id(), null, false), user, null));
    }, database).thenCompose(this::submit).thenApply(info -> key);
  }

  public CompletableFuture<ServerFrame.RoomInfo> join(User user, String key) {
    return CompletableFuture.supplyAsync(() -> {
      RoomState room = visible(user, key);
      if (!room.open()) {
        throw noRoom(key);
      }
      if (room.isMember(user.id())) {
        return List.<Entry>of();
      }
      checkSize(room.members().size() + 1);
      return List.of(new Entry(user, key, new RoomChange(EventKind.JOINED, user.id(), null, false), user, null));
    }, database).thenCompose(entries -> entries.isEmpty() ? room(user, key) : submit(entries));
  }

  public CompletableFuture<ServerFrame.RoomInfo> rename(User actor, String key, String rawName) {
    return CompletableFuture.supplyAsync(() -> {
      managerRole(visible(actor, key), actor);
      String name = checkName(rawName);
      return List.of(new Entry(actor, key, new RoomChange(EventKind.RENAMED, 0, name, false), null, name));
    }, database).thenCompose(this::submit);
  }

  public CompletableFuture<ServerFrame.RoomInfo> room(User user, String key) {
    return CompletableFuture.supplyAsync(() -> visible(user, key).info(), database);
  }

  public CompletableFuture<List<ConversationStore.RoomSummary>> roomsOf(User user) {
    return CompletableFuture.supplyAsync(() -> store.roomsOf(user.id()), database);
  }

  public CompletableFuture<List<ConversationStore.OpenRoom>> directory() {
    return CompletableFuture.supplyAsync(() -> store.openRooms(DIRECTORY_MAX), database);
  }

  /**
   * The room if the user may see it: a member, or anyone for an open room. Blocks on the store on
   * a cache miss: call it from the database executor or the writer.
   */
  RoomState visible(User user, String key) {
    RoomState room = current(key).orElseThrow(() -> noRoom(key));
    if (!room.open() && !room.isMember(user.id())) {
      throw noRoom(key);
    }
    return room;
  }

  /** The actor's role, which must be owner or admin. */
  private static RoomRole managerRole(RoomState room, User actor) {
    RoomRole role = room.role(actor.id());
    if (role == null) {
      throw notMember(room.key());
    }
    if (!role.manages()) {
      throw forbidden();
    }
    return role;
  }

  /** The room for reading or posting: the user must be a member. */
  RoomState membership(User user, String key) {
    RoomState room = visible(user, key);
    if (!room.isMember(user.id())) {
      throw notMember(key);
    }
    return room;
  }

  /** The user, if a member of the room; else the error a frame naming the room would get. Blocks on a cache miss. */
  public User requireMember(User user, String key) {
    membership(user, key);
    return user;
  }

  /** Whether the user is a member of the room now. Blocks on a cache miss. */
  public boolean isMember(long userId, String key) {
    return current(key).map(room -> room.isMember(userId)).orElse(false);
  }

  /** Another node changed the room: what this node remembers of it is read again on next use. */
  public void forget(String key) {
    rooms.remove(key);
  }

  /** Unknown keys are not remembered, so that guessing cannot fill the cache. */
  private Optional<RoomState> current(String key) {
    RoomState known = rooms.get(key);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<RoomState> loaded = store.room(key).map(RoomState::of);
    // putIfAbsent: a state the writer put meanwhile is newer than what was just read.
    return loaded.map(room -> Optional.ofNullable(rooms.putIfAbsent(key, room)).orElse(room));
  }

  private CompletableFuture<ServerFrame.RoomInfo> submit(List<Entry> entries) {
    for (Entry entry : entries) {
      messageLog.append(entry);
    }
    return entries.getLast().done.thenCombine(
        CompletableFuture.allOf(entries.stream().map(e -> e.done).toArray(CompletableFuture[]::new)),
        (info, all) -> info);
  }

  /** One membership entry on its way through the writer. */
  private final class Entry implements MessageLog.Submission {
    private final User actor;
    private final String key;
    private final RoomChange change;
    private final User subject;
    private final String name;
    private final CompletableFuture<ServerFrame.RoomInfo> done = new CompletableFuture<>();
    private RoomState after;
    private List<Long> recipients;

    Entry(User actor, String key, RoomChange change, User subject, String name) {
      this.actor = actor;
      this.key = key;
      this.change = change;
      this.subject = subject;
      this.name = name;
    }

    @Override
    public NewMessage prepare() {
      if (change.kind() == EventKind.CREATED) {
        after = new RoomState(key, change.name(), change.open(),
            Map.of(actor.id(), new RoomState.Member(actor.id(), actor.username(), RoomRole.OWNER)));
        recipients = List.of(actor.id());
      } else {
        RoomState before = current(key).orElseThrow(() -> noRoom(key));
        after = switch (change.kind()) {
          case ADDED, JOINED -> before.with(new RoomState.Member(subject.id(), subject.username(), RoomRole.MEMBER));
          case LEFT, REMOVED -> before.without(subject.id());
          case RENAMED -> before.renamed(name);
          case CREATED -> throw new IllegalStateException();
        };
        // The one who leaves or is removed gets the entry, and nothing after it.
        recipients = change.kind() == EventKind.LEFT || change.kind() == EventKind.REMOVED ? before.memberIds() : after.memberIds();
      }
      rooms.put(key, after);
      return new NewMessage(actor.id(), 0, key, "room:" + UUID.randomUUID(), null, null, change, clock.millis());
    }

    @Override
    public void committed(AppendResult result) {
      StoredMessage.Event event = new StoredMessage.Event(
          change.kind(),
          change.kind() == EventKind.ADDED || change.kind() == EventKind.REMOVED ? subject.username() : null,
          change.name());
      StoredMessage stored = new StoredMessage(result.seq(), key, actor.username(), null, null, null, event, result.createdAtMillis());
      bus.publish(MessageFrames.message(stored), actor.id(), recipients, ChatService.NO_SESSION);
      done.complete(after.info());
    }

    @Override
    public void failed(ParleyException error) {
      // What the writer assumed may not hold: read the room again on next use.
      rooms.remove(key);
      done.completeExceptionally(error);
    }
  }

  private String checkName(String raw) {
    String name = raw.strip();
    int length = name.codePointCount(0, name.length());
    boolean unpairedSurrogate = name.codePoints().anyMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE);
    if (length < 1 || length > MAX_NAME_CHARS || unpairedSurrogate || name.codePoints().anyMatch(Character::isISOControl)) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "room name must have 1 to " + MAX_NAME_CHARS + " characters");
    }
    return name;
  }

  private void checkSize(int members) {
    if (members > maxMembers) {
      throw new ParleyException(ErrorCode.TOO_LARGE, "a room has at most " + maxMembers + " members");
    }
  }

  private String newKey() {
    StringBuilder key = new StringBuilder(KEY_LENGTH);
    for (int i = 0; i < KEY_LENGTH; i++) {
      key.append(KEY_ALPHABET.charAt(random.nextInt(KEY_ALPHABET.length())));
    }
    return key.toString();
  }

  static ParleyException noRoom(String key) {
    return new ParleyException(ErrorCode.NOT_FOUND, "no room '" + key + "'");
  }

  private static ParleyException notMember(String key) {
    return new ParleyException(ErrorCode.FORBIDDEN, "not a member of room '" + key + "'");
  }

  private static ParleyException forbidden() {
    return new ParleyException(ErrorCode.FORBIDDEN, "only the room's owner or admins may do that");
  }
}
