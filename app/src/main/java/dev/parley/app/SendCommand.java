package dev.parley.app;

import dev.parley.client.ParleyClientException;
import dev.parley.client.ParleyConnection;
import dev.parley.protocol.ServerFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
  /** How long to wait for the ack once the message is out. */
  static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private ServerOption server;

  @Parameters(index = "0", paramLabel = "NAME", description = "The recipient.")
  private String recipient;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT", description = "The message; words are joined by spaces.")
  private List<String> words;

  @Override
  public Integer call() throws InterruptedException {
    ServerFrame.Ack ack;
    // since = MAX_VALUE: this throwaway connection must not be replayed (and so mark as delivered)
    // the messages waiting for the user's real client.
    try (SignedIn signedIn = server.signedIn(main.environment());
        ParleyConnection connection = signedIn.client().connect(signedIn.token(), Long.MAX_VALUE, frame -> {})) {
      ack = connection.sendMessage(recipient, String.join(" ", words)).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw switch (e.getCause()) {
        case ParleyClientException refused -> refused;
        case IOException gone -> new UncheckedIOException(gone.getMessage() + "; the message may not have been stored", gone);
        default -> new IllegalStateException(e.getCause());
      };
    } catch (TimeoutException e) {
      throw new CommandFailedException("no ack within " + ACK_TIMEOUT.toSeconds() + " s; the message may not have been stored");
    }
    spec.commandLine().getOut().println("sent seq=" + ack.seq());
    return 0;
  }
}
