package dev.parley.bench;

import dev.parley.app.JsonOutput;
import dev.parley.app.CommandFailedException;
import dev.parley.bench.load.ConnectionBench;
import dev.parley.bench.load.ConnectionBenchResult;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints the result as a table, or one JSON object; exits 1 unless every connection authenticated, stayed and answered its pings. */
@Command(
    name = "connections",
    mixinStandardHelpOptions = true,
    description = {
      "N authenticated connections (TCP or WebSocket), held with pings: connect rate, failures by reason,",
      "pongs, and the server's RSS and heap per connection (from its /metrics, at --admin).",
      "Users come from a token file of 'parley admin mint-tokens', one per connection."
    })
final class BenchConnectionsCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--count", required = true, paramLabel = "N", description = "Connections to open.")
  private int count;

  @Option(names = "--transport", defaultValue = "tcp", paramLabel = "tcp|ws", description = "TCP line protocol or WebSocket (default: ${DEFAULT-VALUE}).")
  private String transport;

  @Option(names = "--hold", defaultValue = "10", paramLabel = "S", description = "Seconds to hold them once all are open (default: ${DEFAULT-VALUE}).")
  private double holdSeconds;

  @Option(names = "--ping-interval", defaultValue = "30", paramLabel = "S", description = "Each connection pings this often while held (default: ${DEFAULT-VALUE}; at least once per hold).")
  private double pingIntervalSeconds;

  @Mixin private ServerUrlOption server;

  @Mixin private TcpPortOption tcpPort;

  @Mixin private AdminUrlOption admin;

  @Option(names = "--tokens", required = true, paramLabel = "FILE", description = "Token file from 'parley admin mint-tokens'.")
  private Path tokens;

  @Option(names = "--sources", defaultValue = "4", paramLabel = "K", description = "Source addresses 127.0.0.2.. used in turn (default: ${DEFAULT-VALUE}).")
  private int sources;

  @Option(names = "--processes", defaultValue = "1", paramLabel = "P", description = "Generator processes; one holds at most ~19,000 (default: ${DEFAULT-VALUE}).")
  private int processes;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  private boolean json;

  @Override
  public Integer call() throws InterruptedException {
    URI url = server.url();
    URI adminUrl = admin.url();
    ConnectionBenchResult result;
    try {
      result =
          ConnectionBench.run(
              new ConnectionBench.Config(
                  transport,
                  tcpPort.on(url),
                  url,
                  adminUrl,
                  tokens,
                  count,
                  sources,
                  processes,
                  seconds(holdSeconds),
                  seconds(pingIntervalSeconds)));
    } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
      throw new CommandFailedException(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JsonOutput.of(result));
    } else {
      printTable(out, result);
    }
    out.flush();
    return result.clean() ? 0 : 1;
  }

  static Duration seconds(double seconds) {
    return Duration.ofNanos((long) (seconds * 1e9));
  }

  private static void printTable(PrintWriter out, ConnectionBenchResult r) {
    row(out, "transport", r.transport());
    row(out, "connections", format("%d of %d, from %d sources, %d processes", r.connected(), r.count(), r.sources(), r.processes()));
    row(out, "connect rate", format("%.0f conn/s (%.1f s)", r.connectsPerSecond(), r.connectSeconds()));
    row(out, "failures", r.failures().isEmpty() ? "none" : r.failures().toString());
    row(out, "held", format("%.1f s, closed by server: %d", r.holdSeconds(), r.closedByServer()));
    row(out, "pings", format("%d sent, %d answered", r.pingsSent(), r.pongsReceived()));
    ConnectionBenchResult.Memory memory = r.server();
    if (memory != null) {
      row(out, "server RSS", format("%s -> %s (%.1f KiB/conn)", mib(memory.before().rssBytes()), mib(memory.after().rssBytes()), memory.rssPerConnectionBytes() / 1024));
      row(out, "server heap", format("%s -> %s (%.1f KiB/conn)", mib(memory.before().heapUsedBytes()), mib(memory.after().heapUsedBytes()), memory.heapPerConnectionBytes() / 1024));
      row(out, "server conns", format("%d -> %d", memory.before().openConnections(), memory.after().openConnections()));
    }
  }

  private static String mib(long bytes) {
    return format("%.1f MiB", bytes / 1048576.0);
  }

  private static void row(PrintWriter out, String name, String value) {
    out.println(format("%-14s %s", name, value));
  }

  private static String format(String pattern, Object... values) {
    return String.format(Locale.ROOT, pattern, values);
  }

}
