package dev.parley.app;

import dev.parley.app.bench.BenchUser;
import dev.parley.app.bench.IrcTarget;
import dev.parley.app.bench.MessageBench;
import dev.parley.app.bench.MessageBenchResult;
import dev.parley.app.bench.MessageTarget;
import dev.parley.app.bench.ParleyTarget;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints the result as a table, or one JSON object; exits 1 if any message was lost, duplicated or reordered. */
@Command(
    name = "messages",
    mixinStandardHelpOptions = true,
    description = {
      "P sender->receiver pairs, each with at most W messages in flight: end-to-end latency,",
      "delivered messages/s, and lost, duplicated and reordered counts (must be 0).",
      "Against Parley's TCP line protocol (--server, users from a token file of 'parley admin",
      "mint-tokens'; user 2i sends to user 2i+1) or, to compare with a peer, an IRC server",
      "(--target irc://HOST:PORT: NICK/USER registration, PRIVMSG to the paired nick)."
    })
final class BenchMessagesCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--server",
      paramLabel = "HOST:PORT",
      description = "A Parley server's TCP line-protocol address; the same as --target parley://HOST:PORT.")
  private String server;

  @Option(
      names = "--target",
      paramLabel = "URL",
      description = "parley://HOST:PORT (Parley's TCP line protocol) or irc://HOST:PORT (an IRC server such as ngircd).")
  private URI target;

  @Option(names = "--tokens", paramLabel = "FILE", description = "Token file from 'parley admin mint-tokens'; Parley only.")
  private Path tokens;

  @Option(names = "--pairs", defaultValue = "100", paramLabel = "P", description = "Sender/receiver pairs (default: ${DEFAULT-VALUE}).")
  private int pairs;

  @Option(names = "--window", defaultValue = "1", paramLabel = "W", description = "Messages in flight per sender (default: ${DEFAULT-VALUE}).")
  private int window;

  @Option(names = "--duration", defaultValue = "10", paramLabel = "S", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
  private double durationSeconds;

  @Option(names = "--warmup", defaultValue = "2", paramLabel = "S", description = "Unmeasured seconds first (default: ${DEFAULT-VALUE}).")
  private double warmupSeconds;

  @Option(names = "--size", defaultValue = "64", paramLabel = "BYTES", description = "Message text length (default: ${DEFAULT-VALUE}).")
  private int size;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  private boolean json;

  @Override
  public Integer call() throws InterruptedException {
    MessageBenchResult result;
    try {
      result =
          MessageBench.run(
              new MessageBench.Config(
                  target(),
                  pairs,
                  window,
                  size,
                  seconds(warmupSeconds),
                  seconds(durationSeconds)));
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CommandFailedException(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JsonOutput.of(result));
    } else {
      printTable(out, result);
    }
    out.flush();
    return result.exact() ? 0 : 1;
  }

  private MessageTarget target() {
    if ((server == null) == (target == null)) {
      throw new CommandFailedException("give either --server HOST:PORT or --target URL");
    }
    URI url = target != null ? target : URI.create("parley://" + server);
    if (url.getHost() == null || url.getPort() < 0) {
      throw new CommandFailedException("the target needs a host and a port: " + url);
    }
    InetSocketAddress address = new InetSocketAddress(url.getHost(), url.getPort());
    switch (String.valueOf(url.getScheme())) {
      case "parley" -> {
        if (tokens == null) {
          throw new CommandFailedException("a Parley target needs --tokens FILE");
        }
        return new ParleyTarget(address, BenchUser.readAll(tokens));
      }
      case "irc" -> {
        if (tokens != null) {
          throw new CommandFailedException("--tokens is for a Parley target; IRC needs no accounts");
        }
        return new IrcTarget(address);
      }
      default -> throw new CommandFailedException("--target takes parley://HOST:PORT or irc://HOST:PORT, not " + url);
    }
  }

  private static void printTable(PrintWriter out, MessageBenchResult r) {
    MessageBenchResult.Latency latency = r.latencyMillis();
    row(out, "target", r.target());
    row(out, "pairs", Integer.toString(r.pairs()));
    row(out, "window", Integer.toString(r.window()));
    row(out, "size", r.sizeBytes() + " B");
    row(out, "measured", format("%.1f s", r.seconds()));
    row(out, "delivered", format("%d (%.0f msg/s)", r.delivered(), r.deliveredPerSecond()));
    row(out, "latency p50", format("%.3f ms", latency.p50()));
    row(out, "latency p99", format("%.3f ms", latency.p99()));
    row(out, "latency p99.9", format("%.3f ms", latency.p999()));
    row(out, "latency max", format("%.3f ms", latency.max()));
    row(out, "sent (all)", Long.toString(r.sent()));
    row(out, "lost", Long.toString(r.lost()));
    row(out, "duplicated", Long.toString(r.duplicated()));
    row(out, "reordered", Long.toString(r.reordered()));
  }

  private static void row(PrintWriter out, String name, String value) {
    out.println(format("%-14s %s", name, value));
  }

  private static String format(String pattern, Object... values) {
    return String.format(Locale.ROOT, pattern, values);
  }

  private static Duration seconds(double seconds) {
    return Duration.ofNanos((long) (seconds * 1e9));
  }
}
