package dev.parley.bench;

import dev.parley.app.CommandFailedException;
import static dev.parley.bench.BenchReport.format;

import dev.parley.bench.load.Argon2Parameters;
import dev.parley.bench.load.LoginBench;
import dev.parley.bench.load.LoginBenchResult;
import dev.parley.server.admin.OperatorAccounts;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints the result as a table, or one JSON object; exits 1 if any login failed. */
@Command(
    name = "logins",
    mixinStandardHelpOptions = true,
    description = {
      "N real logins over HTTP (POST /api/v1/login with username and password, so each runs Argon2),",
      "at most C at once, round-robin over PREFIX0..PREFIX(U-1) made by 'parley admin create-users':",
      "logins/s, latency p50/p99/max, failures, and the Argon2 cost a login pays."
    })
final class BenchLoginsCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private ServerUrlOption server;

  @Option(names = "--count", required = true, paramLabel = "N", description = "How many logins.")
  private int count;

  @Option(names = "--concurrency", defaultValue = "8", paramLabel = "C", description = "Logins in progress at once (default: ${DEFAULT-VALUE}).")
  private int concurrency;

  @Option(names = "--prefix", defaultValue = "u", paramLabel = "P", description = "User name prefix, as given to create-users (default: ${DEFAULT-VALUE}).")
  private String prefix;

  @Option(names = "--users", defaultValue = "100", paramLabel = "U", description = "Log in as PREFIX0..PREFIX(U-1) in turn (default: ${DEFAULT-VALUE}).")
  private int users;

  @Mixin private CreatedUsersPasswordOption password;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "The server's data directory: the Argon2 cost is then read from PREFIX0's stored hash.")
  private Path dataDir;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  private boolean json;

  @Override
  public Integer call() throws InterruptedException {
    if (users < 1) {
      throw new CommandFailedException("--users must be at least 1");
    }
    List<String> names = IntStream.range(0, users).mapToObj(i -> prefix + i).toList();
    LoginBenchResult result;
    try {
      result = LoginBench.run(new LoginBench.Config(server.url(), names, password.password(), count, concurrency, argon2(names.get(0))));
    } catch (IllegalArgumentException e) {
      throw new CommandFailedException(e.getMessage());
    }
    BenchReport.print(spec, json, result, table -> printTable(table, result));
    return result.failed() == 0 ? 0 : 1;
  }

  /**
   * The stored hash's cost when the data directory is given; otherwise the cost create-users
   * hashes with (the argon2-* defaults), which is what its users pay whatever the server's settings.
   */
  private Argon2Parameters argon2(String username) {
    if (dataDir == null) {
      ServerConfig.Argon2Cost cost = Settings.defaultsOnly().toConfig().accounts().argon2();
      return new Argon2Parameters(
          cost.memoryKib(), cost.iterations(), cost.parallelism(), "the argon2-* defaults, which 'parley admin create-users' hashes with");
    }
    // Opening a directory that is not there would create an empty database in it.
    if (!Files.isRegularFile(dataDir.resolve("parley.db"))) {
      throw new CommandFailedException("no Parley database in " + dataDir);
    }
    try (OperatorAccounts accounts = OperatorAccounts.open(dataDir)) {
      String hash = accounts.passwordHash(username).orElseThrow(() -> new CommandFailedException("no user " + username + " in " + dataDir));
      return Argon2Parameters.fromPhc(hash, "the stored hash of " + username + " in " + dataDir);
    }
  }

  private static void printTable(BenchReport out, LoginBenchResult r) {
    Argon2Parameters argon2 = r.argon2();
    out.row("logins", format("%d in %.2f s, at most %d at once", r.count(), r.seconds(), r.concurrency()));
    out.row("succeeded", format("%d (%.1f logins/s)", r.succeeded(), r.loginsPerSecond()));
    out.row("failed", r.failed() + (r.firstFailure() == null ? "" : " (first: " + r.firstFailure() + ")"));
    out.row("latency p50", format("%.1f ms", r.latencyMillis().p50()));
    out.row("latency p99", format("%.1f ms", r.latencyMillis().p99()));
    out.row("latency max", format("%.1f ms", r.latencyMillis().max()));
    out.row("argon2id", format("m=%d KiB, t=%d, p=%d (%s)", argon2.memoryKib(), argon2.iterations(), argon2.parallelism(), argon2.source()));
  }
}
