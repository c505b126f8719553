package dev.parley.app;

import dev.parley.protocol.ServerFrame.RoomSummary;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "rooms",
    mixinStandardHelpOptions = true,
    description = {
      "List your rooms, newest activity first: #name, id, members and unread messages.",
      "Name a room in other commands by its id or as #name (see 'parley room')."
    })
final class RoomsCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private ServerOption server;

  @Option(names = "--json", description = "Print a JSON array of {room, name, open, role, members, unread, lastSeq}: "
          + "room is the id, members a count, role your own.")
  private boolean json;

  @Override
  public Integer call() {
    List<RoomSummary> rooms;
    try (SignedIn signedIn = server.signedIn(main.environment())) {
      rooms = signedIn.client().rooms(signedIn.token());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JsonOutput.of(rooms));
    } else {
      rooms.forEach(room -> out.println(line(room)));
    }
    return 0;
  }

  /** {@code #lab  k3q9w1x7  3 members  2 unread  open}. */
  static String line(RoomSummary room) {
    return TerminalText.visible(RoomNames.label(room.name()) + "  " + room.room()) + "  " + count(room.members(), "member")
        + "  " + room.unread() + " unread" + (room.open() ? "  open" : "");
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
