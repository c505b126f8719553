package dev.parley.app;

import dev.parley.client.ParleyClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    description = "Create an account. Asks for the password twice, or reads it as one line from stdin.")
final class RegisterCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private ServerOption server;

  @Parameters(paramLabel = "NAME", description = "2 to 32 letters, digits, '_', '-' or '.'.")
  private String username;

  @Option(names = "--invite", paramLabel = "CODE", description = "An invite code (the part after #invite= in an invite link).")
  private String invite;

  @Override
  public Integer call() {
    String password = PasswordInput.read(main.environment(), true);
    try (ParleyClient client = server.anonymousClient(main.environment())) {
      spec.commandLine().getOut().println("registered " + client.register(username, password, invite));
    }
    return 0;
  }
}
