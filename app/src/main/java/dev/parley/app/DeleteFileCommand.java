package dev.parley.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "delete-file",
    mixinStandardHelpOptions = true,
    description = {
      "Delete a file you sent: it leaves the server and frees its space in your storage quota.",
      "Its message stays in the history; downloading it fails from then on."
    })
final class DeleteFileCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private ServerOption server;

  @Parameters(paramLabel = "ID", description = "The file's id, as 'parley upload' printed it or 'parley history' shows it.")
  private String id;

  @Override
  public Integer call() {
    try (SignedIn signedIn = server.signedIn(main.environment())) {
      signedIn.client().deleteFile(signedIn.token(), id);
    }
    spec.commandLine().getOut().println("deleted file " + id);
    return 0;
  }
}
