package dev.parley.app;

import dev.parley.protocol.ServerFrame;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    customSynopsis = {
      "Usage: parley send [--server=URL] NAME TEXT...",
      "       parley send [--server=URL] '#ROOM' TEXT...",
      "       parley send [--server=URL] --room=ROOM TEXT..."
    },
    description = {
      "Send one message to a user or a room and wait until the server has stored it; prints its seq.",
      "ROOM is a room's id or #NAME, the one room of yours with that name (see 'parley rooms')."
    })
final class SendCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private ServerOption server;

  @Option(names = "--room", paramLabel = "ROOM", description = "Send to this room instead of a user.")
  private String room;

  @Parameters(arity = "1..*", paramLabel = "NAME|#ROOM TEXT",
      description = "The recipient (unless --room is given), then the message; words are joined by spaces.")
  private List<String> words;

  /**
   * Over HTTP, not a WebSocket: a live connection, however brief, would take delivery of
   * messages meant for the user's real clients and show them online.
   */
  @Override
  public Integer call() {
    List<String> text = room == null ? words.subList(1, words.size()) : words;
    if (text.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "no text to send");
    }
    Recipient recipient = Recipient.of(room, room == null ? words.getFirst() : null);
    ServerFrame.Ack ack;
    try (SignedIn signedIn = server.signedIn(main.environment())) {
      String id = UUID.randomUUID().toString();
      ack = recipient.isRoom()
          ? signedIn.client().sendToRoom(signedIn.token(), id, recipient.roomId(signedIn), String.join(" ", text))
          : signedIn.client().send(signedIn.token(), id, recipient.user(), String.join(" ", text));
    }
    spec.commandLine().getOut().println("sent seq=" + ack.seq());
    return 0;
  }
}
