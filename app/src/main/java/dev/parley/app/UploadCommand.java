package dev.parley.app;

import dev.parley.client.JsonUploadUrlStore;
import dev.parley.client.UploadOptions;
import dev.parley.protocol.ServerFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    name = "upload",
    mixinStandardHelpOptions = true,
    customSynopsis = {
      "Usage: parley upload [--server=URL] NAME PATH",
      "       parley upload [--server=URL] '#ROOM' PATH",
      "       parley upload [--server=URL] --room=ROOM PATH"
    },
    description = {
      "Send a file to a user or a room; prints its id and the message's seq once the server has stored it.",
      "Interrupted, it resumes where it stopped when run again with the same file and recipient.",
      "ROOM is a room's id or #NAME, the one room of yours with that name (see 'parley rooms')."
    })
final class UploadCommand implements Callable<Integer> {
  /** In the config directory: the uploads started and not finished, to resume them. */
  static final String URL_STORE = "uploads.json";

  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private ServerOption server;

  @Option(names = "--room", paramLabel = "ROOM", description = "Send to this room instead of a user.")
  private String room;

  @Parameters(arity = "1..2", paramLabel = "NAME|#ROOM PATH",
      description = "The recipient (unless --room is given), then the file to send.")
  private List<String> args;

  @Override
  public Integer call() {
    if (args.size() != (room == null ? 2 : 1)) {
      throw new ParameterException(spec.commandLine(), room == null ? "name the recipient and the file: NAME|#ROOM PATH"
          : "with --room, name only the file");
    }
    Recipient recipient = Recipient.of(room, room == null ? args.getFirst() : null);
    String path = args.getLast();
    CliEnvironment environment = main.environment();
    Path file = environment.resolve(path);
    if (!Files.isRegularFile(file)) {
      throw new CommandFailedException(Files.exists(file) ? path + " is not a file" : "no file " + path);
    }
    ProgressLine progress = new ProgressLine(spec.commandLine().getErr(), environment.console() != null, file.getFileName().toString());
    ServerFrame.Message sent;
    try (SignedIn signedIn = server.signedIn(environment)) {
      UploadOptions options = UploadOptions.defaults()
          .withUrlStore(new JsonUploadUrlStore(environment.configDir().resolve(URL_STORE)))
          .withProgress(progress);
      sent = recipient.isRoom()
          ? signedIn.client().uploadToRoom(signedIn.token(), file, recipient.roomId(signedIn), options)
          : signedIn.client().upload(signedIn.token(), file, recipient.user(), options);
    } finally {
      progress.finish();
    }
    ServerFrame.FileRef ref = sent.file();
    spec.commandLine().getOut().println(
        "sent file " + ref.id() + " (" + TerminalText.visible(ref.name()) + ", " + ref.size() + " bytes) seq=" + sent.seq());
    return 0;
  }
}
