package dev.parley.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Operator commands that work on a data directory directly: backups, and the set-up of benchmark
 * accounts without the server's checks (normal clients register and log in instead).
 */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description = {
      "Operator commands on a data directory: backup and restore, and benchmark setup.",
      "create-users and mint-tokens are not for normal clients: they bypass registration checks and login rate limits."
    },
    subcommands = {
      BackupCommand.class,
      RestoreCommand.class,
      CreateUsersCommand.class,
      MintTokensCommand.class,
      CommandLine.HelpCommand.class
    })
final class AdminCommand implements Runnable {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;

  CliEnvironment environment() {
    return main.environment();
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name an admin command; see 'parley admin help'");
  }
}
