package dev.parley.app;

import dev.parley.client.ParleyConnection;
import dev.parley.protocol.ServerFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The rooms side of a chat: what it knows about rooms (the name of every room it has seen, which
 * of them the user belongs to, the open rooms last listed), kept up to date by the membership
 * entries that arrive (which the server delivers in order), and the requests behind {@code
 * /rooms}, {@code /create}, {@code /join} and {@code /leave}, whose outcome goes to the screen.
 * The requests wait for their replies, so they run on the prompt's thread, never on the
 * connection's. Thread-safe.
 */
final class ChatRooms {
  private final ChatRenderer renderer;
  private final ChatSession.Screen screen;
  private final Supplier<ParleyConnection> connection;
  /** Id → name, of every room seen, the ones left included, so that their old messages keep a name. */
  private final Map<String, String> names = new ConcurrentHashMap<>();
  private final Set<String> mine = ConcurrentHashMap.newKeySet();
  /** The open rooms as last listed, as they complete, for {@code /join}. */
  private volatile List<String> openRooms = List.of();

  /** {@code connection}: the chat's live connection now (it changes on reconnects), or null. */
  ChatRooms(ChatRenderer renderer, ChatSession.Screen screen, Supplier<ParleyConnection> connection) {
    this.renderer = renderer;
    this.screen = screen;
    this.connection = connection;
  }

  /** The user's rooms as the server lists them now. */
  void replaceMine(List<ServerFrame.RoomSummary> rooms) {
    rooms.forEach(room -> names.put(room.room(), room.name()));
    mine.retainAll(rooms.stream().map(ServerFrame.RoomSummary::room).toList());
    rooms.forEach(room -> mine.add(room.room()));
  }

  /** A room the user has just created or joined. */
  void enter(ServerFrame.RoomInfo room) {
    names.put(room.room(), room.name());
    mine.add(room.room());
  }

  /** The room's name, or null when this chat has not seen it. */
  String nameOf(String room) {
    return names.get(room);
  }

  boolean isMine(String room) {
    return mine.contains(room);
  }

  /** {@code #name}, or {@code #id} while the name is unknown. */
  String label(String room) {
    return RoomNames.label(names.getOrDefault(room, room));
  }

  /**
   * Applies a room message's membership entry, if it has one, to the names and to the user's
   * membership.
   *
   * @return true when the entry ends the user's membership (they left or were removed)
   */
  boolean apply(ServerFrame.Message message, String me) {
    ServerFrame.Event event = message.event();
    if (event == null) {
      return false;
    }
    String room = message.room();
    if (event.name() != null) {
      names.put(room, event.name());
    }
    boolean byMe = message.from().equals(me);
    boolean toMe = me.equals(event.user());
    return switch (event.kind()) {
      case CREATED, JOINED -> {
        if (byMe) {
          mine.add(room);
        }
        yield false;
      }
      case ADDED -> {
        if (toMe) {
          mine.add(room);
        }
        yield false;
      }
      case LEFT -> byMe && mine.remove(room);
      case REMOVED -> toMe && mine.remove(room);
      case RENAMED -> false;
    };
  }

  /** The user's room that {@code given} names (see {@link RoomNames}); its name is null when none does. */
  RoomNames.Known resolve(String given) {
    return RoomNames.resolve(given, mineKnown());
  }

  /**
   * What completes to each of the user's rooms, then to the open rooms last listed: {@code
   * #name}, or {@code #id} when another of the rooms has the same name. A space in a name is
   * written {@code \ } by the line reader, which {@link ChatInput} reads back as a space.
   */
  List<String> completions() {
    List<String> mineFirst = new ArrayList<>(completions(mineKnown()));
    completions(openRooms()).stream().filter(room -> !mineFirst.contains(room)).forEach(mineFirst::add);
    return mineFirst;
  }

  private static List<String> completions(List<RoomNames.Known> known) {
    return known.stream()
        .map(room -> known.stream().filter(other -> other.name().equalsIgnoreCase(room.name())).count() > 1
            ? "#" + room.id()
            : RoomNames.label(room.name()))
        .sorted(String.CASE_INSENSITIVE_ORDER)
        .toList();
  }

  /**
   * The user's room that {@code given} names, refreshing the list once if none does yet; null
   * (and says why) when none does.
   */
  RoomNames.Known mine(String given) {
    try {
      RoomNames.Known room = resolve(given);
      if (room.name() == null) {
        replaceMine(SignedIn.await(connected().rooms()));
        room = resolve(given);
      }
      if (room.name() == null) {
        screen.show(renderer.error("you are in no room " + given + "; /rooms lists yours and the open ones"));
        return null;
      }
      return room;
    } catch (RuntimeException e) {
      screen.show(renderer.error(ChatSession.describe(e)));
      return null;
    }
  }

  /** The user's unread count in a room, as the server has it; 0 when it cannot say. */
  long unread(String room) {
    try {
      return SignedIn.await(connected().rooms()).stream().filter(r -> r.room().equals(room)).mapToLong(ServerFrame.RoomSummary::unread)
          .findFirst().orElse(0);
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** {@code /rooms}: the user's rooms with unread counts, then the open rooms they are not in. */
  void list() {
    try {
      ParleyConnection open = connected();
      List<ServerFrame.RoomSummary> rooms = SignedIn.await(open.rooms());
      replaceMine(rooms);
      List<ServerFrame.DirectoryEntry> directory = SignedIn.await(open.roomDirectory());
      rememberOpen(directory);
      screen.show(renderer.plain(rooms.isEmpty() ? "your rooms: - (/create NAME makes one)" : "your rooms:"));
      rooms.forEach(room -> screen.show(renderer.plain("  " + RoomsCommand.line(room))));
      List<String> joinable = directory.stream()
          .filter(entry -> !isMine(entry.room()))
          .map(entry -> RoomNames.label(entry.name()) + " (" + entry.members() + ")")
          .toList();
      screen.show(renderer.plain("open rooms to /join: " + (joinable.isEmpty() ? "-" : String.join(", ", joinable))));
    } catch (RuntimeException e) {
      screen.show(renderer.error("cannot list rooms: " + ChatSession.describe(e)));
    }
  }

  /** {@code /create}: the new room, or null when the server refused (and the screen says why). */
  ServerFrame.RoomInfo create(String name, List<String> members, boolean open) {
    try {
      ServerFrame.RoomInfo room = SignedIn.await(connected().createRoom(name, members, open));
      enter(room);
      int others = room.members().size() - 1;
      screen.show(renderer.notice("created " + RoomNames.label(room.name()) + (open ? ", open to all," : "") + " with "
          + (others == 0 ? "nobody else yet" : others + (others == 1 ? " other" : " others"))));
      return room;
    } catch (RuntimeException e) {
      screen.show(renderer.error("cannot create " + RoomNames.label(name) + ": " + ChatSession.describe(e)));
      return null;
    }
  }

  /** {@code /join}, with {@code given} resolved among the open rooms: the room, or null when it failed. */
  ServerFrame.RoomInfo join(String given) {
    try {
      ParleyConnection open = connected();
      List<ServerFrame.DirectoryEntry> directory = SignedIn.await(open.roomDirectory());
      rememberOpen(directory);
      ServerFrame.RoomInfo room = SignedIn.await(open.join(RoomNames.resolve(given, known(directory)).id()));
      enter(room);
      screen.show(renderer.notice("joined " + RoomNames.label(room.name()) + " (" + room.members().size() + " members)"));
      return room;
    } catch (RuntimeException e) {
      screen.show(renderer.error("cannot join " + given + ": " + ChatSession.describe(e)));
      return null;
    }
  }

  /** {@code /leave} of one of the user's rooms (an id); whether it worked. */
  boolean leave(String room) {
    try {
      SignedIn.await(connected().leave(room));
      mine.remove(room);
      screen.show(renderer.notice("left " + label(room)));
      return true;
    } catch (RuntimeException e) {
      screen.show(renderer.error("cannot leave " + label(room) + ": " + ChatSession.describe(e)));
      return false;
    }
  }

  /**
   * Completes, never exceptionally, once the room's name is known or cannot be (then its id
   * shows). Runs on the connection's thread and does not block it.
   */
  CompletableFuture<Void> lookUpName(String room) {
    ParleyConnection open = connection.get();
    if (nameOf(room) != null || open == null) {
      return CompletableFuture.completedFuture(null);
    }
    return open.room(room).handle((info, failure) -> {
      if (info != null) {
        names.put(room, info.name());
      }
      return null;
    });
  }

  private void rememberOpen(List<ServerFrame.DirectoryEntry> directory) {
    directory.forEach(entry -> names.putIfAbsent(entry.room(), entry.name()));
    openRooms = directory.stream().map(ServerFrame.DirectoryEntry::room).toList();
  }

  private List<RoomNames.Known> openRooms() {
    return openRooms.stream().filter(id -> !mine.contains(id)).map(id -> new RoomNames.Known(id, names.getOrDefault(id, id)))
        .toList();
  }

  private static List<RoomNames.Known> known(List<ServerFrame.DirectoryEntry> directory) {
    return directory.stream().map(entry -> new RoomNames.Known(entry.room(), entry.name())).toList();
  }

  /** The live connection, for a request the prompt waits for. */
  private ParleyConnection connected() {
    ParleyConnection open = connection.get();
    if (open == null || open.closed().isDone()) {
      throw new CommandFailedException("not connected (reconnecting)");
    }
    return open;
  }

  private List<RoomNames.Known> mineKnown() {
    return mine.stream().map(id -> new RoomNames.Known(id, names.getOrDefault(id, id))).toList();
  }
}
