package dev.parley.app;

import dev.parley.server.ParleyServer;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.config.Settings;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Runs the server in the foreground. Settings come from the config file, then {@code PARLEY_*}
 * variables, then these flags; a flag overrides only when given. Prints one line to stdout once
 * every port listens, the admin listener's too (logs go to stderr), and exits 0 after a clean
 * shutdown on SIGTERM or SIGINT.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = "Run the Parley server until SIGTERM or Ctrl-C.")
final class ServerCommand implements Callable<Integer> {
  static final String DEFAULT_CONFIG_FILE = "parley.properties";

  @ParentCommand private Main main;
  @Spec private CommandSpec spec;

  @Option(names = "--host", paramLabel = "ADDR", description = "Address to listen on (default: 0.0.0.0, all).")
  private String host;

  @Option(names = "--http-port", paramLabel = "N", description = "HTTP and WebSocket port; 0 picks a free one (default: 8080).")
  private Integer httpPort;

  @Option(names = "--tcp-port", paramLabel = "N", description = "TCP line-protocol port; 0 picks a free one (default: 7070).")
  private Integer tcpPort;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the database lives (default: ./parley-data).")
  private Path dataDir;

  @Option(
      names = "--database",
      paramLabel = "URL",
      description = "A PostgreSQL libpq URI (postgresql://user@host:5432/db?sslmode=require) to store in (default: SQLite in the data directory).")
  private String database;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Settings file, key=value (default: " + DEFAULT_CONFIG_FILE + " in the data directory, if there).")
  private Path configFile;

  @Override
  public Integer call() throws InterruptedException {
    CliEnvironment environment = main.environment();
    Map<String, String> flags = flags();
    ServerConfig config = Settings.load(configFile(environment, flags), environment.variables(), flags).toConfig();

    ParleyServer server;
    try {
      server = ParleyServer.start(config);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      // Netty rethrows bind failures (a checked BindException) undeclared, hence the broad catch.
      throw new CommandFailedException("cannot start the server: " + e.getMessage());
    }
    CountDownLatch stopRequested = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("parley-shutdown-hook").unstarted(server::close));
    TerminationSignals.handle(stopRequested::countDown);

    PrintWriter out = spec.commandLine().getOut();
    out.println("parley listening http=" + address(config.listen().host(), server.httpAddress())
        + " tcp=" + address(config.listen().host(), server.tcpAddress())
        + " admin=" + address(config.admin().host(), server.adminAddress()));
    out.flush();

    stopRequested.await();
    server.close();
    return 0;
  }

  private Map<String, String> flags() {
    Map<String, String> flags = new LinkedHashMap<>();
    putIfGiven(flags, "host", host);
    putIfGiven(flags, "http-port", httpPort);
    putIfGiven(flags, "tcp-port", tcpPort);
    putIfGiven(flags, "data-dir", dataDir);
    putIfGiven(flags, "database", database);
    return flags;
  }

  /**
   * {@code --config}, else {@value #DEFAULT_CONFIG_FILE} in the data directory when it exists.
   * The data directory for that look-up comes from the flag or the environment only: the file
   * cannot move the directory it is found in.
   */
  private Path configFile(CliEnvironment environment, Map<String, String> flags) {
    if (configFile != null) {
      return configFile;
    }
    String dir = flags.getOrDefault("data-dir", environment.variable("PARLEY_DATA_DIR"));
    Path candidate = Path.of(dir != null ? dir : Settings.DEFAULTS.get("data-dir")).resolve(DEFAULT_CONFIG_FILE);
    return Files.isRegularFile(candidate) ? candidate : null;
  }

  private static void putIfGiven(Map<String, String> flags, String key, Object value) {
    if (value != null) {
      flags.put(key, value.toString());
    }
  }

  /** HOST:PORT of the bound socket, with an IPv6 host in brackets. */
  /**
   * The host as configured, with the port really bound: a wildcard bind reports the IPv6 "any"
   * address on a dual-stack socket, which is not what the operator asked for.
   */
  private static String address(String host, InetSocketAddress bound) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort();
  }
}
