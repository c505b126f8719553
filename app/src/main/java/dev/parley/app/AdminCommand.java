package dev.parley.app;

import dev.parley.server.admin.OperatorAccounts;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Operator commands that work on a data directory directly, without the server's checks:
 * backups, the admin role and invites (how a new server gets its first admin), and the set-up of
 * benchmark accounts. Normal clients register and log in instead.
 */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description = {
      "Operator commands on a data directory: backup and restore, the admin role, invites, benchmark setup.",
      "create-users and mint-tokens are not for normal clients: they bypass registration checks and login rate limits."
    },
    subcommands = {
      BackupCommand.class,
      RestoreCommand.class,
      InviteCommand.class,
      CreateUsersCommand.class,
      MintTokensCommand.class,
      MigrateToPostgresCommand.class,
      CommandLine.HelpCommand.class
    })
final class AdminCommand implements Runnable {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;

  CliEnvironment environment() {
    return main.environment();
  }

  @Command(name = "grant-admin", mixinStandardHelpOptions = true,
      description = "Give NAME the admin role (the admin page and API). Works while the server runs.")
  int grantAdmin(@Mixin DataDirectory dir, @Parameters(paramLabel = "NAME", description = "A registered user.") String name) {
    return setAdmin(dir, name, true);
  }

  @Command(name = "revoke-admin", mixinStandardHelpOptions = true, description = "Take the admin role from NAME.")
  int revokeAdmin(@Mixin DataDirectory dir, @Parameters(paramLabel = "NAME", description = "A registered user.") String name) {
    return setAdmin(dir, name, false);
  }

  private int setAdmin(DataDirectory dir, String name, boolean granted) {
    String username;
    try (OperatorAccounts accounts = dir.locate(environment()).openAccounts()) {
      username = accounts.setAdmin(name, granted);
    } catch (IllegalArgumentException e) {
      throw new CommandFailedException(e.getMessage());
    }
    spec.commandLine().getOut().println((granted ? "granted the admin role to " : "revoked the admin role of ") + username);
    spec.commandLine().getOut().flush();
    return 0;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name an admin command; see 'parley admin help'");
  }
}
