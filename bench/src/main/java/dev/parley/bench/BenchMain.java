package dev.parley.bench;

import dev.parley.app.Main;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The bench jar's {@code parley}: only {@code parley bench ...}, which the {@code parley} script
 * sends here. Its own jar keeps the load generators out of the product's parley.jar; the command
 * line and its exit statuses are those of {@link Main}.
 */
@Command(
    name = "parley",
    mixinStandardHelpOptions = true,
    description = "Parley's load generators; the other commands are in parley.jar.",
    subcommands = {BenchCommand.class, CommandLine.HelpCommand.class})
public final class BenchMain implements Runnable {
  @Spec private CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with its error handling; tests run it in-process. */
  public static CommandLine commandLine() {
    return Main.reportingFailures(new CommandLine(new BenchMain()));
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a command; this jar has 'parley bench'");
  }
}
