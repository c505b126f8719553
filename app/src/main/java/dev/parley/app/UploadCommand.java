package dev.parley.app;

import dev.parley.client.JsonUploadUrlStore;
import dev.parley.client.UploadOptions;
import dev.parley.protocol.ServerFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "upload",
    mixinStandardHelpOptions = true,
    description = {
      "Send a file; prints its id and the message's seq once the server has stored it.",
      "Interrupted, it resumes where it stopped when run again with the same file and recipient."
    })
final class UploadCommand implements Callable<Integer> {
  /** In the config directory: the uploads started and not finished, to resume them. */
  static final String URL_STORE = "uploads.json";

  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private ServerOption server;

  @Parameters(index = "0", paramLabel = "NAME", description = "The recipient.")
  private String recipient;

  @Parameters(index = "1", paramLabel = "PATH", description = "The file to send.")
  private String path;

  @Override
  public Integer call() {
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
      sent = signedIn.client().upload(signedIn.token(), file, recipient, options);
    } finally {
      progress.finish();
    }
    ServerFrame.FileRef ref = sent.file();
    spec.commandLine().getOut().println(
        "sent file " + ref.id() + " (" + TerminalText.visible(ref.name()) + ", " + ref.size() + " bytes) seq=" + sent.seq());
    return 0;
  }
}
