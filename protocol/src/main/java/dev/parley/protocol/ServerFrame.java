package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** Frames the server sends. Replies echo the request's {@code id}; pushed frames have none. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ServerFrame.Registered.class, name = "registered"),
  @JsonSubTypes.Type(value = ServerFrame.Welcome.class, name = "welcome"),
  @JsonSubTypes.Type(value = ServerFrame.Ack.class, name = "ack"),
  @JsonSubTypes.Type(value = ServerFrame.Users.class, name = "users"),
  @JsonSubTypes.Type(value = ServerFrame.History.class, name = "history"),
  @JsonSubTypes.Type(value = ServerFrame.Message.class, name = "message"),
  @JsonSubTypes.Type(value = ServerFrame.Presence.class, name = "presence"),
  @JsonSubTypes.Type(value = ServerFrame.Pong.class, name = "pong"),
  @JsonSubTypes.Type(value = ServerFrame.Bye.class, name = "bye"),
  @JsonSubTypes.Type(value = ServerFrame.Error.class, name = "error"),
  @JsonSubTypes.Type(value = ServerFrame.Room.class, name = "room"),
  @JsonSubTypes.Type(value = ServerFrame.Left.class, name = "left"),
  @JsonSubTypes.Type(value = ServerFrame.Rooms.class, name = "rooms"),
  @JsonSubTypes.Type(value = ServerFrame.RoomDirectory.class, name = "room_directory"),
  @JsonSubTypes.Type(value = ServerFrame.Read.class, name = "read"),
  @JsonSubTypes.Type(value = ServerFrame.Conversations.class, name = "conversations"),
  @JsonSubTypes.Type(value = ServerFrame.Typing.class, name = "typing"),
  @JsonSubTypes.Type(value = ServerFrame.User.class, name = "user"),
  @JsonSubTypes.Type(value = ServerFrame.Search.class, name = "search"),
  @JsonSubTypes.Type(value = ServerFrame.Notify.class, name = "notify"),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ServerFrame {

  record Registered(String id, String username) implements ServerFrame {}

  /** {@code token} is present only after a {@code login}, never after {@code auth}. */
  record Welcome(String id, String username, String token) implements ServerFrame {}

  /** Sent only once the message is durably committed. {@code ts}: epoch milliseconds. */
  record Ack(String id, long seq, long ts) implements ServerFrame {}

  record Users(String id, List<UserEntry> users) implements ServerFrame {
    public Users {
      users = List.copyOf(users);
    }
  }

  /** {@code with} or {@code room} as the request gave it. */
  record History(String id, String with, String room, List<Message> messages) implements ServerFrame {
    public History {
      messages = List.copyOf(messages);
    }

    public History(String id, String with, List<Message> messages) {
      this(id, with, null, messages);
    }
  }

  /**
   * A chat message; {@code seq} strictly increases in the order the server accepted messages.
   * A direct message has {@code to}, a room message {@code room}. A text message has {@code text},
   * a file message {@code file}, a room's membership entry {@code event} instead.
   *
   * <p>An edit entry has {@code edits} (the seq of the message it changes) and the new
   * {@code text}; a delete entry has {@code deletes} and nothing else. Entries travel live and in
   * replay; {@code history} and {@code search} leave them out and give the original message in its
   * current state instead: {@code edited} true with the current text, or {@code deleted} true with
   * neither text nor file. {@code mentions}: the usernames a room message mentions, absent when none.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Message(
      long seq,
      String room,
      String from,
      Boolean fromDeleted,
      String to,
      Long edits,
      Long deletes,
      String text,
      FileRef file,
      Event event,
      Boolean edited,
      Boolean deleted,
      List<String> mentions,
      long ts)
      implements ServerFrame {
    @JsonCreator
    public Message {
      mentions = mentions == null || mentions.isEmpty() ? null : List.copyOf(mentions);
    }

    public Message(long seq, String room, String from, String to, String text, FileRef file, Event event, long ts) {
      this(seq, room, from, null, to, null, null, text, file, event, null, null, null, ts);
    }

    public Message(long seq, String from, String to, String text, FileRef file, long ts) {
      this(seq, null, from, to, text, file, null, ts);
    }

    public Message(long seq, String from, String to, String text, long ts) {
      this(seq, null, from, to, text, null, null, ts);
    }

    /** An edit or delete entry, which points at another message rather than being one. */
    @JsonIgnore
    public boolean isEntry() {
      return edits != null || deletes != null;
    }
  }

  /**
   * A membership change in a room's log. {@code from} on the message is who did it; {@code user}
   * is whom it was done to ({@code added}, {@code removed}); {@code name} is the room's name
   * ({@code created}, {@code renamed}).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Event(EventKind kind, String user, String name) {}

  /**
   * A file stored on the server, downloadable at {@code /api/v1/files/{id}} by sender and recipient.
   * {@code deleted} is true once its sender deleted it (downloads then answer {@code gone}), and
   * absent before.
   */
  record FileRef(
      String id, String name, long size, String sha256, String type, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean deleted) {
    @JsonCreator
    public FileRef {}

    public FileRef(String id, String name, long size, String sha256, String type) {
      this(id, name, size, sha256, type, null);
    }
  }

  record Presence(String username, boolean online) implements ServerFrame {}

  record Pong(String id) implements ServerFrame {}

  /** The server is about to close the connection; {@code reason} says why. */
  record Bye(String id, String reason) implements ServerFrame {}

  /** {@code retryAfter}: seconds to wait, with {@code rate_limited} only. */
  record Error(String id, ErrorCode code, String message, Long retryAfter) implements ServerFrame {
    public static Error of(ParleyException e, String id) {
      return new Error(id, e.code(), e.getMessage(), e.retryAfterSeconds());
    }
  }

  record UserEntry(String username, boolean online) {}

  /** Reply to the room frames that change or show a room. */
  record Room(String id, RoomInfo room) implements ServerFrame {}

  record RoomInfo(String room, String name, boolean open, List<Member> members) {
    public RoomInfo {
      members = List.copyOf(members);
    }
  }

  record Member(String username, RoomRole role) {}

  /** Reply to {@code leave}. */
  record Left(String id, String room) implements ServerFrame {}

  record Rooms(String id, List<RoomSummary> rooms) implements ServerFrame {
    public Rooms {
      rooms = List.copyOf(rooms);
    }
  }

  /**
   * A room the user belongs to: {@code role} is the user's own, {@code members} the member count,
   * {@code lastSeq} the seq of the room's newest message.
   */
  record RoomSummary(String room, String name, boolean open, RoomRole role, int members, long unread, long lastSeq) {}

  record RoomDirectory(String id, List<DirectoryEntry> rooms) implements ServerFrame {
    public RoomDirectory {
      rooms = List.copyOf(rooms);
    }
  }

  /** An open room; {@code members}: the member count. */
  record DirectoryEntry(String room, String name, int members) {}

  /**
   * The user's read cursor of a conversation ({@code room} or {@code with}): the reply to
   * {@code read} (with its {@code id}), and pushed to the user's other connections (without).
   */
  record Read(String id, String room, String with, long seq) implements ServerFrame {}

  record Conversations(String id, List<Conversation> conversations) implements ServerFrame {
    public Conversations {
      conversations = List.copyOf(conversations);
    }
  }

  /**
   * A room ({@code room}, {@code name}) or a direct conversation ({@code with}); {@code unread}:
   * others' messages after the user's read cursor; {@code last}: the newest message in its current
   * state (never an edit or delete entry); {@code mentions}: messages after the read cursor that
   * mention the user (rooms only); {@code notify}: the user's notification level for it (a record
   * component may not be called {@code notify}, hence the Java name).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Conversation(
      String room,
      String with,
      String name,
      long unread,
      long lastSeq,
      Message last,
      Long mentions,
      @JsonProperty("notify") NotifyLevel notifyLevel) {
    public Conversation(String room, String with, String name, long unread, long lastSeq, Message last) {
      this(room, with, name, unread, lastSeq, last, null, null);
    }
  }

  /** Someone is typing in a room ({@code room}) or to this user (no {@code room}). */
  record Typing(String room, String from) implements ServerFrame {}

  /** Pushed to every authenticated connection when an account is registered. */
  record User(String username, boolean online) implements ServerFrame {}

  /** Reply to {@code search}: the hits, newest first, as {@code history} gives messages. */
  record Search(String id, String q, List<Message> messages) implements ServerFrame {
    public Search {
      messages = List.copyOf(messages);
    }
  }

  /**
   * A conversation's notification level ({@code room} or {@code with}): the reply to {@code notify}
   * (with its {@code id}), and pushed to the user's other connections (without).
   */
  record Notify(String id, String room, String with, NotifyLevel level) implements ServerFrame {}
}
