package dev.parley.bench;

import static dev.parley.bench.BenchReport.format;

import dev.parley.app.CommandFailedException;
import dev.parley.bench.load.AttackBench;
import dev.parley.bench.load.AttackBenchResult;
import dev.parley.bench.load.NormalUserResult;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints the result as a table, or one JSON object; exits 1 if the normal user was harmed by any attack. */
@Command(
    name = "attacks",
    mixinStandardHelpOptions = true,
    description = {
      "The adversarial cases of issue 12, one after the other, against a server on this machine,",
      "each from its own loopback address (127.0.0.2 and up), while a normal user on 127.0.0.1",
      "logs in over HTTP and sends messages between two WebSockets: per attack, what the attacker",
      "sent and saw, and the normal user's login and message latency (p50, max; must stay < 1 s).",
      "Users PREFIX0..PREFIX4 from 'parley admin create-users --count 5'."
    })
final class BenchAttacksCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private ServerUrlOption server;

  @Mixin private TcpPortOption tcpPort;

  @Mixin private AdminUrlOption admin;

  @Option(names = "--no-metrics", description = "Do not read the server's memory and hash counts from --admin's /metrics.")
  private boolean noMetrics;

  @Option(names = "--prefix", defaultValue = "a", paramLabel = "P", description = "User name prefix, as given to create-users (default: ${DEFAULT-VALUE}).")
  private String prefix;

  @Mixin private CreatedUsersPasswordOption password;

  @Option(names = "--seconds", defaultValue = "5", paramLabel = "S", description = "How long each attack runs (default: ${DEFAULT-VALUE}).")
  private double seconds;

  @Option(
      names = "--deadline-seconds",
      defaultValue = "12",
      paramLabel = "S",
      description = "How long the slowloris attacks run, past the server's header and login deadlines (default: ${DEFAULT-VALUE}).")
  private double deadlineSeconds;

  @Option(
      names = "--connections",
      defaultValue = "200",
      paramLabel = "N",
      description = "Connections of the download-pipeline and slowloris attacks (default: ${DEFAULT-VALUE}).")
  private int connections;

  @Option(
      names = "--cap-connections",
      defaultValue = "300",
      paramLabel = "N",
      description = "Connections opened from one address, past the per-address cap (default: ${DEFAULT-VALUE}).")
  private int capConnections;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  private boolean json;

  @Override
  public Integer call() throws InterruptedException {
    URI http = server.url();
    AttackBenchResult result;
    try {
      result =
          AttackBench.run(
              new AttackBench.Config(
                  http,
                  tcpPort.on(http),
                  noMetrics ? null : admin.url(),
                  prefix,
                  password.password(),
                  Duration.ofNanos((long) (seconds * 1e9)),
                  Duration.ofNanos((long) (deadlineSeconds * 1e9)),
                  connections,
                  capConnections));
    } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
      throw new CommandFailedException(e.getMessage());
    }
    BenchReport.print(spec, json, result, table -> printTable(table, result));
    return result.normalUserUnharmed() ? 0 : 1;
  }

  private static void printTable(BenchReport out, AttackBenchResult result) {
    out.line("| attack | from | attacker sent | attacker saw | normal login p50 / max | normal message p50 / max | < 1 s | recovered after | server RSS max | hashes |");
    out.line("|---|---|---|---|---|---|---|---|---|---|");
    for (AttackBenchResult.Row row : result.rows()) {
      NormalUserResult normal = row.normal();
      out.line(
          format(
              "| %s | %s | %s (%d in %.0f s, %s) | %s | %s | %s | %s | %s | %s | %s |",
              row.attack(),
              row.from(),
              row.sent(),
              row.requests(),
              row.seconds(),
              bytes(row.bytesSent()),
              answers(row.answers()),
              latency(normal.loginMillis()),
              latency(normal.messageMillis()),
              row.withinLimit() ? "yes" : "**no**" + (normal.failures() > 0 ? " (" + normal.failures() + " failed)" : ""),
              Double.isNaN(row.recoverySeconds()) ? "> 60 s" : format("%.1f s", row.recoverySeconds()),
              Double.isNaN(row.server().residentMiBMax()) ? "-" : format("%.0f MiB", row.server().residentMiBMax()),
              Double.isNaN(row.server().passwordHashes()) ? "-" : format("%.0f", row.server().passwordHashes())));
    }
  }

  private static String answers(Map<String, Long> answers) {
    if (answers.isEmpty()) {
      return "nothing";
    }
    return answers.entrySet().stream().map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.joining(", "));
  }

  private static String latency(NormalUserResult.Latency latency) {
    return format("%.0f / %.0f ms (%d)", latency.p50(), latency.max(), latency.count());
  }

  private static String bytes(long bytes) {
    return bytes >= 1 << 20 ? format("%.1f MB", bytes / 1e6) : format("%.1f kB", bytes / 1e3);
  }
}
