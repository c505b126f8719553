package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
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

  record History(String id, String with, List<Message> messages) implements ServerFrame {
    public History {
      messages = List.copyOf(messages);
    }
  }

  /**
   * A chat message; {@code seq} strictly increases in the order the server accepted messages.
   * A text message has {@code text}; a file message has {@code file} instead.
   */
  record Message(long seq, String from, String to, String text, FileRef file, long ts) implements ServerFrame {
    @JsonCreator
    public Message {}

    public Message(long seq, String from, String to, String text, long ts) {
      this(seq, from, to, text, null, ts);
    }
  }

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
}
