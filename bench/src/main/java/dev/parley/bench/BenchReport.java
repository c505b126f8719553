package dev.parley.bench;

import dev.parley.app.JsonOutput;
import dev.parley.bench.load.MessageBenchResult;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;

/** How a bench command prints its result: one JSON object with --json, else a table of name/value rows. */
final class BenchReport {
  private final PrintWriter out;

  private BenchReport(PrintWriter out) {
    this.out = out;
  }

  /** Prints {@code result} as JSON, or has {@code table} write its rows. */
  static <R> void print(CommandSpec spec, boolean json, R result, Consumer<BenchReport> table) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JsonOutput.of(result));
    } else {
      table.accept(new BenchReport(out));
    }
    out.flush();
  }

  /** A line as it is, for a report that is not name/value rows (a table of its own). */
  void line(String text) {
    out.println(text);
  }

  void row(String name, String value) {
    out.println(format("%-14s %s", name, value));
  }

  /** The rows of an end-to-end latency: p50, p99, p99.9 and max. */
  void latencyRows(MessageBenchResult.Latency latency) {
    row("latency p50", format("%.3f ms", latency.p50()));
    row("latency p99", format("%.3f ms", latency.p99()));
    row("latency p99.9", format("%.3f ms", latency.p999()));
    row("latency max", format("%.3f ms", latency.max()));
  }

  /** {@link String#format} with the root locale: a decimal point, whatever the machine's locale. */
  static String format(String pattern, Object... values) {
    return String.format(Locale.ROOT, pattern, values);
  }
}
