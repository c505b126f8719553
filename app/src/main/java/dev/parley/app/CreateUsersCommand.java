package dev.parley.app;

import dev.parley.server.account.PasswordHasher;
import dev.parley.server.account.Usernames;
import dev.parley.server.config.Settings;
import dev.parley.server.store.NewUser;
import dev.parley.server.store.sqlite.SqliteStores;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Creates PREFIX0 … PREFIX(N-1) straight in the database. The password is hashed once and the
 * hash shared by every user: Argon2 per user would make a 100,000-user setup take hours, and
 * these accounts exist only to be benchmarked. Safe while the server runs (WAL, busy timeout).
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
    String hash = new PasswordHasher(Settings.defaultsOnly().toConfig().argon2()).hash(password);
    List<NewUser> users = new ArrayList<>(names.size());
    for (String raw : names) {
      String name = Usernames.normalize(raw);
      users.add(new NewUser(name, Usernames.key(name), hash));
    }
    int created;
    try (SqliteStores stores = SqliteStores.open(range.dataDir)) {
      created = stores.users().createAll(users, System.currentTimeMillis());
    }
    spec.commandLine().getOut().println(
        "created " + created + " users, skipped " + (names.size() - created) + " that existed");
    spec.commandLine().getOut().flush();
    return 0;
  }
}
