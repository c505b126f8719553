package dev.parley.bench;

import static dev.parley.bench.BenchReport.format;

import dev.parley.app.CommandFailedException;
import dev.parley.bench.load.RoomBench;
import dev.parley.bench.load.RoomBenchResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints the result as a table, or one JSON object; exits 1 if any member lost, duplicated or reordered a message. */
@Command(
    name = "rooms",
    mixinStandardHelpOptions = true,
    description = {
      "One room of M members, S of them sending, each with at most W messages in flight (in flight",
      "until every other member has it): deliveries/s, messages/s, end-to-end latency, and lost,",
      "duplicated and reordered counts per receiver (must be 0). Against Parley's TCP line",
      "protocol (--server URL and --tcp-port, users from a token file of 'parley admin mint-tokens';",
      "the first user creates a private room with the next M-1 as members; users 0 to S-1 send) or",
      "an IRC server (--target irc://HOST:PORT: every member joins #bench and sends PRIVMSG #bench)."
    })
final class BenchRoomsCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private MessageTargetOptions targetOptions;

  @Option(names = "--members", defaultValue = "100", paramLabel = "M", description = "Members of the room (default: ${DEFAULT-VALUE}).")
  private int members;

  @Option(names = "--senders", defaultValue = "10", paramLabel = "S", description = "Members who send (default: ${DEFAULT-VALUE}).")
  private int senders;

  @Mixin private MessageLoadOptions load;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  private boolean json;

  @Override
  public Integer call() throws InterruptedException {
    RoomBenchResult result;
    try {
      result = RoomBench.run(load.rooms(targetOptions.target(), members, senders));
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CommandFailedException(e.getMessage());
    }
    BenchReport.print(spec, json, result, table -> printTable(table, result));
    return result.exact() ? 0 : 1;
  }

  private static void printTable(BenchReport out, RoomBenchResult r) {
    out.row("target", r.target());
    out.row("members", Integer.toString(r.members()));
    out.row("senders", Integer.toString(r.senders()));
    out.row("window", Integer.toString(r.window()));
    out.row("size", r.sizeBytes() + " B");
    out.row("measured", format("%.1f s", r.seconds()));
    out.row("deliveries", format("%d (%.0f /s)", r.deliveries(), r.deliveriesPerSecond()));
    out.row("messages", format("%.0f /s", r.messagesPerSecond()));
    out.latencyRows(r.latencyMillis());
    out.row("sent (all)", Long.toString(r.sent()));
    out.row("received (all)", Long.toString(r.received()));
    out.row("lost", Long.toString(r.lost()));
    out.row("duplicated", Long.toString(r.duplicated()));
    out.row("reordered", Long.toString(r.reordered()));
    out.row("inexact", r.inexactReceivers() + " of " + r.members() + " receivers");
  }
}
