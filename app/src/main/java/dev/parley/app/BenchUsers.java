package dev.parley.app;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import picocli.CommandLine.Option;

/**
 * The bench users the admin commands work on: PREFIX0..PREFIX(N-1) in a data directory's database
 * (or the PostgreSQL database the server uses). One
 * definition, so that the tokens minted are for exactly the users created.
 */
final class BenchUsers {
  @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "The server's data directory.")
  Path dataDir;

  @Option(
      names = "--database",
      paramLabel = "URL",
      description = "The server's PostgreSQL database (postgresql://...), when it runs on one; default: SQLite in the data directory.")
  String database;

  @Option(names = "--count", required = true, paramLabel = "N", description = "How many users, from PREFIX0.")
  private int count;

  @Option(names = "--prefix", defaultValue = "u", paramLabel = "P", description = "Name prefix (default: ${DEFAULT-VALUE}).")
  private String prefix;

  /** The names, in order; {@code --count} below 1 is a usage mistake. */
  List<String> names() {
    if (count < 1) {
      throw new CommandFailedException("--count must be at least 1");
    }
    return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
  }
}
