package dev.parley.bench;

import dev.parley.app.CommandFailedException;
import static dev.parley.bench.BenchReport.format;

import dev.parley.bench.load.MessageBench;
import dev.parley.bench.load.MessageBenchResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
      "Against Parley's TCP line protocol (--server URL and --tcp-port, users from a token file of",
      "'parley admin mint-tokens'; user 2i sends to user 2i+1) or, to compare with a peer, an IRC",
      "server (--target irc://HOST:PORT: NICK/USER registration, PRIVMSG to the paired nick)."
    })
final class BenchMessagesCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private MessageTargetOptions targetOptions;

  @Option(names = "--pairs", defaultValue = "100", paramLabel = "P", description = "Sender/receiver pairs (default: ${DEFAULT-VALUE}).")
  private int pairs;

  @Mixin private MessageLoadOptions load;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  private boolean json;

  @Override
  public Integer call() throws InterruptedException {
    MessageBenchResult result;
    try {
      result = MessageBench.run(load.messages(targetOptions.target(), pairs));
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CommandFailedException(e.getMessage());
    }
    BenchReport.print(spec, json, result, table -> printTable(table, result));
    return result.exact() ? 0 : 1;
  }

  private static void printTable(BenchReport out, MessageBenchResult r) {
    out.row("target", r.target());
    out.row("pairs", Integer.toString(r.pairs()));
    out.row("window", Integer.toString(r.window()));
    out.row("size", r.sizeBytes() + " B");
    out.row("measured", format("%.1f s", r.seconds()));
    out.row("delivered", format("%d (%.0f msg/s)", r.delivered(), r.deliveredPerSecond()));
    out.latencyRows(r.latencyMillis());
    out.row("sent (all)", Long.toString(r.sent()));
    out.row("lost", Long.toString(r.lost()));
    out.row("duplicated", Long.toString(r.duplicated()));
    out.row("reordered", Long.toString(r.reordered()));
  }
}
