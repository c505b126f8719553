package dev.parley.app;

import java.util.List;
import java.util.stream.IntStream;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The bench users the admin commands work on: PREFIX0..PREFIX(N-1) in a data directory's database
 * (or the PostgreSQL database the server uses). One
 * definition, so that the tokens minted are for exactly the users created.
 */
final class BenchUsers {
  @Mixin private DataDirectory dataDirectory;

  @Option(names = "--count", required = true, paramLabel = "N", description = "How many users, from PREFIX0.")
  private int count;

  @Option(names = "--prefix", defaultValue = "u", paramLabel = "P", description = "Name prefix (default: ${DEFAULT-VALUE}).")
  private String prefix;

  DataDirectory.Location location(CliEnvironment environment) {
    return dataDirectory.locate(environment);
  }

  /** The names, in order; {@code --count} below 1 is a usage mistake. */
  List<String> names() {
    if (count < 1) {
      throw new CommandFailedException("--count must be at least 1");
    }
    return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
  }
}
