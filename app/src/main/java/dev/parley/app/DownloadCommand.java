package dev.parley.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "download",
    mixinStandardHelpOptions = true,
    description = {
      "Download a file sent to or by you; prints where it was saved.",
      "Bytes go to PATH.part first; run again after an interruption and only the rest is fetched."
    })
final class DownloadCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private ServerOption server;

  @Parameters(paramLabel = "ID", description = "The file's id, as 'parley history' shows it.")
  private String id;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "PATH",
      description = "Where to save it (default: the sender's file name in the current directory; "
          + "a directory: that name in it).")
  private String output;

  @Option(names = "--force", description = "Replace PATH if it exists.")
  private boolean force;

  @Override
  public Integer call() {
    CliEnvironment environment = main.environment();
    Path saved;
    try (SignedIn signedIn = server.signedIn(environment)) {
      Path target = target(signedIn, environment);
      if (Files.exists(target) && !force) {
        throw new CommandFailedException(target + " exists; use --force to replace it, or -o PATH");
      }
      ProgressLine progress =
          new ProgressLine(spec.commandLine().getErr(), environment.console() != null, target.getFileName().toString());
      try {
        saved = signedIn.client().download(signedIn.token(), id, target, progress);
      } finally {
        progress.finish();
      }
    }
    spec.commandLine().getOut().println(TerminalText.visible(saved.toString()));
    return 0;
  }

  /**
   * The path to save to. Without -o (or with a directory) the name is the server's, which the
   * client library reduces to one plain file name, so it cannot point outside the directory.
   */
  private Path target(SignedIn signedIn, CliEnvironment environment) {
    Path chosen = output == null ? null : environment.resolve(output);
    if (chosen != null && !Files.isDirectory(chosen)) {
      return chosen;
    }
    String name = signedIn.client().fileInfo(signedIn.token(), id).name();
    return (chosen != null ? chosen : environment.workingDir()).resolve(name);
  }
}
