package dev.parley.app;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The data directory an operator command works on: the flag, else PARLEY_DATA_DIR, else the server's default. */
final class DataDirOption {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "${env:PARLEY_DATA_DIR:-parley-data}",
      description = "The server's data directory (default: $PARLEY_DATA_DIR, else ./parley-data).")
  Path dataDir;
}
