package dev.parley.app;

import dev.parley.server.admin.OperatorAccounts;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Creates PREFIX0 … PREFIX(N-1) straight in the database, all with one shared password hash (see
 * {@link OperatorAccounts#createUsers}): these accounts exist only to be benchmarked.
 */
@Command(
    name = "create-users",
    mixinStandardHelpOptions = true,
    description = {
      "Create users PREFIX0..PREFIX(N-1) directly in the database, skipping names that exist.",
      "For benchmarks only: every user gets the same password hash. Works while the server runs."
    })
public final class CreateUsersCommand implements Callable<Integer> {
  /** Also what {@code parley bench logins} logs in with by default. */
  public static final String DEFAULT_PASSWORD = "bench-password-1";

  @ParentCommand private AdminCommand admin;
  @Spec private CommandSpec spec;

  @Mixin private BenchUsers range;

  @Option(
      names = "--password",
      defaultValue = DEFAULT_PASSWORD,
      paramLabel = "P",
      description = "Everyone's password (default: ${DEFAULT-VALUE}).")
  private String password;

  @Override
  public Integer call() {
    List<String> names = range.names();
    int created;
    try (OperatorAccounts accounts = range.location(admin.environment()).openAccounts()) {
      created = accounts.createUsers(names, password);
    }
    spec.commandLine().getOut().println(
        "created " + created + " users, skipped " + (names.size() - created) + " that existed");
    spec.commandLine().getOut().flush();
    return 0;
  }
}
