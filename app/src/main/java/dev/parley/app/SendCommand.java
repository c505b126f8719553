package dev.parley.app;

import dev.parley.protocol.ServerFrame;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = "Send one message and wait until the server has stored it; prints its seq.")
final class SendCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private ServerOption server;

  @Parameters(index = "0", paramLabel = "NAME", description = "The recipient.")
  private String recipient;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT", description = "The message; words are joined by spaces.")
  private List<String> words;

  /**
   * Over HTTP, not a WebSocket: a live connection, however brief, would take delivery of
   * messages meant for the user's real clients and show them online.
   */
  @Override
  public Integer call() {
    ServerFrame.Ack ack;
    try (SignedIn signedIn = server.signedIn(main.environment())) {
      ack = signedIn.client().send(signedIn.token(), UUID.randomUUID().toString(), recipient, String.join(" ", words));
    }
    spec.commandLine().getOut().println("sent seq=" + ack.seq());
    return 0;
  }
}
