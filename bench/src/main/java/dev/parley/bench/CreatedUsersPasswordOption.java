package dev.parley.bench;

import dev.parley.app.CreateUsersCommand;
import picocli.CommandLine.Option;

/** The password of the users 'parley admin create-users' made, for the benches that log them in. */
final class CreatedUsersPasswordOption {
  @Option(
      names = "--password",
      defaultValue = CreateUsersCommand.DEFAULT_PASSWORD,
      paramLabel = "P",
      description = "Their password, as given to create-users (default: ${DEFAULT-VALUE}).")
  private String password;

  String password() {
    return password;
  }
}
