package dev.parley.app;

import dev.parley.client.LoggedIn;
import dev.parley.client.ParleyClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    description = "Log in and save the login for the other commands. Asks for the password, or reads it as one line from stdin.")
final class LoginCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private ServerOption server;

  @Parameters(paramLabel = "NAME")
  private String username;

  @Override
  public Integer call() {
    String password = PasswordInput.read(main.environment(), false);
    try (ParleyClient client = server.anonymousClient(main.environment())) {
      LoggedIn login = client.login(username, password);
      new CredentialsFile(main.environment().configDir())
          .save(SavedLogin.of(client, login));
      spec.commandLine().getOut().println("logged in as " + login.username());
    }
    return 0;
  }
}
