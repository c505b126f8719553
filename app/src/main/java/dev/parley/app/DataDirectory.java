package dev.parley.app;

import dev.parley.server.admin.OperatorAccounts;
import dev.parley.server.config.Settings;
import dev.parley.server.store.StoreProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * How every command that works on a data directory finds it, and the settings file beside it:
 * {@code --data-dir}, else {@code $PARLEY_DATA_DIR}, else {@code data-dir} in the settings file,
 * else {@code ./parley-data}. The settings file is {@code --config}, else {@code $PARLEY_CONFIG},
 * else {@value #DEFAULT_CONFIG_FILE} in the data directory when it is there (that one cannot move
 * the directory it is found in). Relative paths resolve against the working directory.
 */
final class DataDirectory {
  static final String DEFAULT_CONFIG_FILE = "parley.properties";
  /** Where a data directory is often found; only used to warn about a server started beside one. */
  private static final List<String> USUAL_PLACES = List.of("parley-data", "data");
  private static final Path SYSTEM_PLACE = Path.of("/var/lib/parley");

  @Option(names = "--data-dir", paramLabel = "DIR", description = "The data directory (default: $PARLEY_DATA_DIR, else data-dir in the settings file, else ./parley-data).")
  private String dataDir;

  @Option(
      names = "--database",
      paramLabel = "URL",
      description = "A PostgreSQL libpq URI (postgresql://user@host:5432/db?sslmode=require) to store in"
          + " (default: database in the settings file, else SQLite in the data directory).")
  private String database;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Settings file, key=value (default: $PARLEY_CONFIG, else " + DEFAULT_CONFIG_FILE + " in the data directory, if there).")
  private String configFile;

  /**
   * The data directory, the settings file (null when there is none) and the PostgreSQL database
   * (null for SQLite in the data directory) these options, the environment and the file name.
   */
  record Location(Path dataDir, Path configFile, String database) {
    boolean hasDatabase() {
      return database != null || holdsDatabase(dataDir);
    }

    /**
     * Refuses a backup or restore of a server that stores in PostgreSQL: the data directory's
     * snapshot is SQLite's, and PostgreSQL has its own consistent online copy.
     */
    Path sqliteDataDir(String command) {
      if (database != null) {
        throw new CommandFailedException(command + " copies a data directory's SQLite database, but this server stores in"
            + " PostgreSQL: use pg_dump (and pg_restore) on that database, and copy the data directory's files/ beside it");
      }
      return dataDir;
    }

    /** The operator's account commands on this location's database; the caller closes it. */
    OperatorAccounts openAccounts() {
      return OperatorAccounts.open(dataDir, database);
    }
  }

  Location locate(CliEnvironment environment) {
    Path explicitConfig = configFile != null ? environment.resolve(configFile)
        : environment.variable("PARLEY_CONFIG") != null ? environment.resolve(environment.variable("PARLEY_CONFIG"))
        : null;
    String dir = dataDir != null ? dataDir : environment.variable("PARLEY_DATA_DIR");
    if (dir == null && explicitConfig != null) {
      dir = Settings.load(explicitConfig, Map.of(), Map.of()).toConfig().store().dataDir().toString();
    }
    Path resolved = environment.resolve(dir != null ? dir : Settings.DEFAULTS.get("data-dir"));
    Path config = explicitConfig;
    if (config == null) {
      Path beside = resolved.resolve(DEFAULT_CONFIG_FILE);
      config = Files.isRegularFile(beside) ? beside : null;
    }
    return new Location(resolved, config, database != null ? database : configuredDatabase(config, environment));
  }

  /** The {@code database} setting of the settings file or the environment, or null when it is SQLite's. */
  private static String configuredDatabase(Path config, CliEnvironment environment) {
    String configured = Settings.load(config, environment.variables(), Map.of()).toConfig().store().database();
    return configured == null || configured.isBlank() ? null : configured;
  }

  /** Other data directories with a database, in the places people usually keep one. */
  static List<Path> othersWithDatabase(CliEnvironment environment, Path dataDir) {
    return Stream.concat(
            Stream.concat(
                USUAL_PLACES.stream().map(environment::resolve),
                Stream.of(environment.userHome().resolve("parley-data"))),
            Stream.of(SYSTEM_PLACE))
        .map(Path::normalize)
        .distinct()
        .filter(place -> !place.equals(dataDir.normalize()))
        .filter(DataDirectory::holdsDatabase)
        .toList();
  }

  private static boolean holdsDatabase(Path dir) {
    Path database = dir.resolve(StoreProvider.databaseFileName());
    try {
      return Files.isRegularFile(database) && Files.size(database) > 0;
    } catch (IOException e) {
      return false;
    }
  }
}
