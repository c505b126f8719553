package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Objects;

/**
 * Frames a client sends. Each may carry an {@code id} that the reply echoes. Required fields are
 * checked when the frame is built, so a decoded frame is always well-formed; limits that depend
 * on server configuration (text length, username rules) are checked by the server.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ClientFrame.Register.class, name = "register"),
  @JsonSubTypes.Type(value = ClientFrame.Login.class, name = "login"),
  @JsonSubTypes.Type(value = ClientFrame.Auth.class, name = "auth"),
  @JsonSubTypes.Type(value = ClientFrame.Send.class, name = "send"),
  @JsonSubTypes.Type(value = ClientFrame.Users.class, name = "users"),
  @JsonSubTypes.Type(value = ClientFrame.Watch.class, name = "watch"),
  @JsonSubTypes.Type(value = ClientFrame.History.class, name = "history"),
  @JsonSubTypes.Type(value = ClientFrame.Logout.class, name = "logout"),
  @JsonSubTypes.Type(value = ClientFrame.Ping.class, name = "ping"),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ClientFrame {
  /** The client's request id, echoed by the reply; may be null except on {@link Send}. */
  String id();

  record Register(String id, String username, String password) implements ClientFrame {
    public Register {
      Fields.require(username, "username");
      Fields.require(password, "password");
    }
  }

  /** {@code since}: replay every message to or from the user with a greater seq. */
  record Login(String id, String username, String password, Long since) implements ClientFrame {
    public Login {
      Fields.require(username, "username");
      Fields.require(password, "password");
    }
  }

  record Auth(String id, String token, Long since) implements ClientFrame {
    public Auth {
      Fields.require(token, "token");
    }
  }

  /** The id is required: a repeated send with the same id is acknowledged again, never re-sent. */
  record Send(String id, String to, String text) implements ClientFrame {
    public Send {
      Fields.require(id, "id");
      Fields.require(to, "to");
      Fields.require(text, "text");
    }
  }

  record Users(String id, Boolean online, String prefix, Integer limit) implements ClientFrame {}

  /** Replaces the connection's watch list. */
  record Watch(String id, List<String> users) implements ClientFrame {
    public Watch {
      Fields.require(users, "users");
      if (users.stream().anyMatch(Objects::isNull)) {
        throw new IllegalArgumentException("field 'users' must hold only strings");
      }
      users = List.copyOf(users);
    }
  }

  record History(String id, String with, Long before, Integer limit) implements ClientFrame {
    public History {
      Fields.require(with, "with");
    }
  }

  record Logout(String id) implements ClientFrame {}

  record Ping(String id) implements ClientFrame {}
}
