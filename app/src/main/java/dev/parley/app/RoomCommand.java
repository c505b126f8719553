package dev.parley.app;

import dev.parley.client.ParleyConnection;
import dev.parley.protocol.ServerFrame;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code parley room create|add|remove|leave|join|rename|members}. Creating goes over HTTP, like
 * the other one-shot commands: it does not show the user online. The other requests have no HTTP
 * endpoint, so each of them does its work over one brief WebSocket that takes no waiting messages
 * ({@link SignedIn#connect()}), where it also looks up the room it was given.
 */
@Command(
    name = "room",
    mixinStandardHelpOptions = true,
    description = {
      "Create rooms and manage their members. ROOM is a room's id (as 'parley rooms' lists it) or #NAME",
      "(quote it in a shell: '#lab'), which names the one room of yours with that name; two rooms with",
      "the same name are told apart by id."
    })
final class RoomCommand implements Runnable {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;

  /** {@code parley room} alone is a usage error: name a subcommand. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a room command; see 'parley room --help'");
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a room with you as its owner and USERs as members; prints its id.")
  int create(
      @Mixin ServerOption server,
      @Option(names = "--open", description = "Anyone may find it in the directory and join it (default: private).") boolean open,
      @Parameters(index = "0", paramLabel = "NAME", description = "1 to 64 characters, any script.") String name,
      @Parameters(index = "1..*", arity = "0..*", paramLabel = "USER", description = "Members to add.") List<String> members) {
    ServerFrame.RoomInfo room;
    try (SignedIn signedIn = server.signedIn(main.environment())) {
      room = signedIn.client().createRoom(signedIn.token(), name, members == null ? List.of() : members, open);
    }
    out().println(room.room());
    return 0;
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = "Add users to a room (its owner and admins; any member of an open room).")
  int add(
      @Mixin ServerOption server,
      @Parameters(index = "0", paramLabel = "ROOM") String room,
      @Parameters(index = "1..*", arity = "1..*", paramLabel = "USER") List<String> users) {
    ServerFrame.RoomInfo info = mine(server, room, (connection, id) -> connection.addMembers(id, users));
    out().println("added " + TerminalText.visible(String.join(", ", users)) + " to " + label(info));
    return 0;
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = "Remove a member from a room (its owner and admins).")
  int remove(
      @Mixin ServerOption server,
      @Parameters(index = "0", paramLabel = "ROOM") String room,
      @Parameters(index = "1", paramLabel = "USER") String user) {
    ServerFrame.RoomInfo info = mine(server, room, (connection, id) -> connection.removeMember(id, user));
    out().println("removed " + TerminalText.visible(user) + " from " + label(info));
    return 0;
  }

  @Command(name = "leave", mixinStandardHelpOptions = true, description = "Leave a room.")
  int leave(@Mixin ServerOption server, @Parameters(index = "0", paramLabel = "ROOM") String room) {
    RoomNames.Known known;
    try (SignedIn signedIn = server.signedIn(main.environment()); ParleyConnection connection = signedIn.connect()) {
      known = RoomNames.resolve(room, mine(connection));
      SignedIn.await(connection.leave(known.id()));
    }
    out().println("left " + TerminalText.visible(known.name() != null ? RoomNames.label(known.name()) : known.id()));
    return 0;
  }

  @Command(name = "join", mixinStandardHelpOptions = true,
      description = "Join an open room; #NAME is looked up among the open rooms and yours.")
  int join(@Mixin ServerOption server, @Parameters(index = "0", paramLabel = "ROOM") String room) {
    ServerFrame.RoomInfo info;
    try (SignedIn signedIn = server.signedIn(main.environment()); ParleyConnection connection = signedIn.connect()) {
      List<ServerFrame.DirectoryEntry> open = SignedIn.await(connection.roomDirectory());
      List<RoomNames.Known> known = Stream.concat(
              open.stream().map(entry -> new RoomNames.Known(entry.room(), entry.name())), mine(connection).stream())
          .distinct()
          .toList();
      info = SignedIn.await(connection.join(RoomNames.resolve(room, known).id()));
    }
    out().println("joined " + label(info) + " (" + info.members().size() + " members)");
    return 0;
  }

  @Command(name = "rename", mixinStandardHelpOptions = true, description = "Rename a room (its owner and admins).")
  int rename(
      @Mixin ServerOption server,
      @Parameters(index = "0", paramLabel = "ROOM") String room,
      @Parameters(index = "1", paramLabel = "NAME") String name) {
    ServerFrame.RoomInfo info = mine(server, room, (connection, id) -> connection.renameRoom(id, name));
    out().println("renamed to " + label(info));
    return 0;
  }

  @Command(name = "members", mixinStandardHelpOptions = true,
      description = "List a room's members and their roles, in the order they joined.")
  int members(@Mixin ServerOption server, @Parameters(index = "0", paramLabel = "ROOM") String room) {
    ServerFrame.RoomInfo info = mine(server, room, ParleyConnection::room);
    PrintWriter out = out();
    info.members().forEach(member -> out.println(TerminalText.visible(member.username()) + "  " + member.role().wireName()));
    return 0;
  }

  /** A request about one of the user's rooms, over a brief connection. */
  @FunctionalInterface
  private interface RoomRequest<T> {
    CompletableFuture<T> send(ParleyConnection connection, String room);
  }

  private <T> T mine(ServerOption server, String room, RoomRequest<T> request) {
    try (SignedIn signedIn = server.signedIn(main.environment()); ParleyConnection connection = signedIn.connect()) {
      return SignedIn.await(request.send(connection, RoomNames.resolve(room, mine(connection)).id()));
    }
  }

  /** The user's rooms, to resolve a room named on the command line. */
  private static List<RoomNames.Known> mine(ParleyConnection connection) {
    return SignedIn.await(connection.rooms()).stream().map(room -> new RoomNames.Known(room.room(), room.name())).toList();
  }

  private static String label(ServerFrame.RoomInfo room) {
    return TerminalText.visible(RoomNames.label(room.name()));
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }
}
