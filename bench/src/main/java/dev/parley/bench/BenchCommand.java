package dev.parley.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Load generators that measure a running server; see docs/BENCHMARKS.md. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure a running server. Set up its users with 'parley admin'.",
    subcommands = {
      BenchMessagesCommand.class,
      BenchRoomsCommand.class,
      BenchConnectionsCommand.class,
      BenchConnectionsWorkerCommand.class,
      BenchFilesCommand.class,
      BenchLoginsCommand.class,
      BenchAttacksCommand.class,
      CommandLine.HelpCommand.class
    })
final class BenchCommand implements Runnable {
  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a benchmark; see 'parley bench help'");
  }
}
