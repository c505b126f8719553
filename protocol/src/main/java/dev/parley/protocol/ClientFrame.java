package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

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
  @JsonSubTypes.Type(value = ClientFrame.CreateRoom.class, name = "create_room"),
  @JsonSubTypes.Type(value = ClientFrame.AddMembers.class, name = "add_members"),
  @JsonSubTypes.Type(value = ClientFrame.RemoveMember.class, name = "remove_member"),
  @JsonSubTypes.Type(value = ClientFrame.Leave.class, name = "leave"),
  @JsonSubTypes.Type(value = ClientFrame.Join.class, name = "join"),
  @JsonSubTypes.Type(value = ClientFrame.RenameRoom.class, name = "rename_room"),
  @JsonSubTypes.Type(value = ClientFrame.Room.class, name = "room"),
  @JsonSubTypes.Type(value = ClientFrame.Rooms.class, name = "rooms"),
  @JsonSubTypes.Type(value = ClientFrame.RoomDirectory.class, name = "room_directory"),
  @JsonSubTypes.Type(value = ClientFrame.Read.class, name = "read"),
  @JsonSubTypes.Type(value = ClientFrame.Conversations.class, name = "conversations"),
  @JsonSubTypes.Type(value = ClientFrame.Typing.class, name = "typing"),
  @JsonSubTypes.Type(value = ClientFrame.Search.class, name = "search"),
  @JsonSubTypes.Type(value = ClientFrame.Edit.class, name = "edit"),
  @JsonSubTypes.Type(value = ClientFrame.Delete.class, name = "delete"),
  @JsonSubTypes.Type(value = ClientFrame.Notify.class, name = "notify"),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ClientFrame {
  /** The client's request id, echoed by the reply; may be null except on {@link Send}. */
  String id();

  /** {@code invite}: an invite code, required while the server's registration is {@code invite}. */
  record Register(String id, String username, String password, String invite) implements ClientFrame {
    public Register {
      Fields.require(username, "username");
      Fields.require(password, "password");
    }

    public Register(String id, String username, String password) {
      this(id, username, password, null);
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

  /**
   * To a user ({@code to}) or to a room ({@code room}), exactly one of the two. The id is required:
   * a repeated send with the same id is acknowledged again, never re-sent.
   */
  record Send(String id, String to, String room, String text) implements ClientFrame {
    public Send {
      Fields.require(id, "id");
      Fields.requireOne(to, "to", room, "room");
      Fields.require(text, "text");
    }

    /** A direct message. */
    public Send(String id, String to, String text) {
      this(id, to, null, text);
    }

    public static Send toRoom(String id, String room, String text) {
      return new Send(id, null, room, text);
    }
  }

  record Users(String id, Boolean online, String prefix, Integer limit) implements ClientFrame {}

  /** Replaces the connection's watch list. */
  record Watch(String id, List<String> users) implements ClientFrame {
    public Watch {
      Fields.requireStrings(users, "users");
      users = List.copyOf(users);
    }
  }

  /** The conversation with a user ({@code with}) or a room ({@code room}), exactly one of the two. */
  record History(String id, String with, String room, Long before, Integer limit) implements ClientFrame {
    public History {
      Fields.requireOne(with, "with", room, "room");
    }

    /** A direct conversation's history. */
    public History(String id, String with, Long before, Integer limit) {
      this(id, with, null, before, limit);
    }
  }

  record Logout(String id) implements ClientFrame {}

  record Ping(String id) implements ClientFrame {}

  /** {@code members}: usernames to add besides the creator, who becomes the owner. */
  record CreateRoom(String id, String name, List<String> members, Boolean open) implements ClientFrame {
    public CreateRoom {
      Fields.require(name, "name");
      if (members != null) {
        Fields.requireStrings(members, "members");
        members = List.copyOf(members);
      } else {
        members = List.of();
      }
    }

    public boolean isOpen() {
      return Boolean.TRUE.equals(open);
    }
  }

  record AddMembers(String id, String room, List<String> users) implements ClientFrame {
    public AddMembers {
      Fields.require(room, "room");
      Fields.requireStrings(users, "users");
      users = List.copyOf(users);
    }
  }

  record RemoveMember(String id, String room, String user) implements ClientFrame {
    public RemoveMember {
      Fields.require(room, "room");
      Fields.require(user, "user");
    }
  }

  record Leave(String id, String room) implements ClientFrame {
    public Leave {
      Fields.require(room, "room");
    }
  }

  /** Joins an open room. */
  record Join(String id, String room) implements ClientFrame {
    public Join {
      Fields.require(room, "room");
    }
  }

  record RenameRoom(String id, String room, String name) implements ClientFrame {
    public RenameRoom {
      Fields.require(room, "room");
      Fields.require(name, "name");
    }
  }

  /** One room's details and member list; for members, and for anyone if the room is open. */
  record Room(String id, String room) implements ClientFrame {
    public Room {
      Fields.require(room, "room");
    }
  }

  /** The rooms the user belongs to. */
  record Rooms(String id) implements ClientFrame {}

  /** The open rooms anyone may join. */
  record RoomDirectory(String id) implements ClientFrame {}

  /** The user has read the conversation ({@code room} or {@code with}) up to {@code seq}. */
  record Read(String id, String room, String with, Long seq) implements ClientFrame {
    public Read {
      Fields.requireOne(room, "room", with, "with");
      Fields.require(seq, "seq");
    }
  }

  record Conversations(String id) implements ClientFrame {}

  /** The user is typing in a room ({@code room}) or to a user ({@code to}). Never stored. */
  record Typing(String id, String room, String to) implements ClientFrame {
    public Typing {
      Fields.requireOne(room, "room", to, "to");
    }
  }

  /**
   * Searches the messages the user can see, newest first; {@code room} or {@code with} narrows it
   * to one conversation (at most one of the two), {@code before} to hits with a smaller seq.
   */
  record Search(String id, String q, String room, String with, Long before, Integer limit) implements ClientFrame {
    public Search {
      Fields.require(q, "q");
      Fields.atMostOne(room, "room", with, "with");
    }

    /** A search over all of the user's conversations. */
    public Search(String id, String q) {
      this(id, q, null, null, null, null);
    }
  }

  /**
   * Replaces the text of the user's own message {@code seq}. The id is required and shares the
   * namespace of send ids: a repeated edit with the same id is acknowledged again, never re-done.
   */
  record Edit(String id, Long seq, String text) implements ClientFrame {
    public Edit {
      Fields.require(id, "id");
      Fields.require(seq, "seq");
      Fields.require(text, "text");
    }
  }

  /** Deletes the user's own message {@code seq}; the id is required, as for {@link Edit}. */
  record Delete(String id, Long seq) implements ClientFrame {
    public Delete {
      Fields.require(id, "id");
      Fields.require(seq, "seq");
    }
  }

  /** Sets which messages of a conversation ({@code room} or {@code with}) notify the user. */
  record Notify(String id, String room, String with, NotifyLevel level) implements ClientFrame {
    public Notify {
      Fields.requireOne(room, "room", with, "with");
      Fields.require(level, "level");
    }
  }
}
