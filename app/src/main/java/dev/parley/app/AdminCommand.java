package dev.parley.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Operator commands that work on a data directory's database directly, without the server's
 * checks. They exist to set up benchmarks; normal clients register and log in instead.
 */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description = {
      "Operator commands on a data directory's database, for benchmark setup.",
      "Not for normal clients: they bypass registration checks and login rate limits."
    },
    subcommands = {CreateUsersCommand.class, MintTokensCommand.class, MigrateToPostgresCommand.class, CommandLine.HelpCommand.class})
final class AdminCommand implements Runnable {
  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name an admin command; see 'parley admin help'");
  }
}
