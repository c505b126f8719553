package dev.parley.app;

import dev.parley.server.ParleyServer;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.config.Settings;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Runs the server in the foreground. Settings come from the config file, then {@code PARLEY_*}
 * variables, then these flags; a flag overrides only when given; the data directory and the
 * settings file are found as {@link DataDirectory} says. Prints one machine-readable line to stdout
 * once every port listens, the admin listener's too, then, with TLS, one with the certificate's
 * fingerprint, then one {@code open URL in a browser} line per {@link BrowserUrls URL} people can
 * open (logs go to stderr); exits 0 after a clean shutdown on SIGTERM or SIGINT, and re-reads the
 * TLS certificate on SIGHUP.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = "Run the Parley server until SIGTERM or Ctrl-C.")
final class ServerCommand implements Callable<Integer> {

  @ParentCommand private Main main;
  @Spec private CommandSpec spec;

  @Option(names = "--host", paramLabel = "ADDR", description = "Address to listen on (default: 0.0.0.0, all).")
  private String host;

  @Option(names = "--http-port", paramLabel = "N", description = "HTTP and WebSocket port; 0 picks a free one (default: 8080).")
  private Integer httpPort;

  @Option(names = "--tcp-port", paramLabel = "N", description = "TCP line-protocol port; 0 picks a free one (default: 7070).")
  private Integer tcpPort;

  @Mixin private DataDirectory dataDirectory;
  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = "PEM certificate chain, leaf first: the HTTP port speaks HTTPS and WSS, the TCP port TLS. Re-read on SIGHUP.")
  private Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key of --tls-cert (unencrypted). Re-read on SIGHUP.")
  private Path tlsKey;

  @Option(
      names = "--files-dir",
      paramLabel = "DIR",
      description = "Where uploads and files' bytes live (default: $PARLEY_FILES_DIR, else files-dir in the settings file, else"
          + " the data directory). Nodes that share a --database share this directory too (NFS), so uploads resume on any node.")
  private Path filesDir;

  @Option(
      names = "--tls",
      paramLabel = "MODE",
      description = "self-signed: generate a certificate in the data directory on first start (reused after) and print its"
          + " fingerprint for clients to pin; off (default) unless --tls-cert is given.")
  private String tls;

  @Option(
      names = "--bus",
      paramLabel = "URL",
      description = "NATS server(s) joining this node to the others on the same --database (nats://HOST:PORT, comma-separated"
          + " for several); default: bus in the settings file or PARLEY_BUS, else a standalone node.")
  private String bus;

  @Option(
      names = "--node-id",
      paramLabel = "NAME",
      description = "This node's name on the bus and in the logs (default: the host name and a random suffix).")
  private String nodeId;

  @Override
  public Integer call() throws InterruptedException {
    CliEnvironment environment = main.environment();
    DataDirectory.Location location = dataDirectory.locate(environment);
    Map<String, String> flags = flags();
    flags.put("data-dir", location.dataDir().toString());
    putIfGiven(flags, "database", location.database());
    ServerConfig config = Settings.load(location.configFile(), environment.variables(), flags).toConfig();
    if (!location.hasDatabase()) {
      warnIfDataLivesElsewhere(environment, location.dataDir());
    }

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
    TerminationSignals.onReload(() -> reloadCertificate(server));

    PrintWriter out = spec.commandLine().getOut();
    out.println("parley listening http=" + address(config.listen().host(), server.httpAddress())
        + " tcp=" + address(config.listen().host(), server.tcpAddress())
        + " admin=" + address(config.admin().host(), server.adminAddress()));
    server.tlsFingerprint().ifPresent(fingerprint -> out.println(
        "tls " + fingerprint + " by " + server.tlsProvider().orElseThrow() + " (" + server.tlsCertificateFile().orElseThrow() + ");"
            + " clients pin it: parley login --server https://HOST:" + server.httpAddress().getPort()
            + " --fingerprint " + fingerprint + " NAME"));
    for (URI url : BrowserUrls.of(server.tlsFingerprint().isPresent() ? "https" : "http", config.listen().host(),
        server.httpAddress().getPort())) {
      out.println("open " + url + " in a browser");
    }
    out.flush();

    stopRequested.await();
    server.close();
    return 0;
  }

  /** SIGHUP: the certificate files again; a failure is logged and the certificate in use stays. */
  private static void reloadCertificate(ParleyServer server) {
    // Looked up here, not in a static field: picocli builds every command, this one too, when any
    // client command starts, and starting Logback would cost each of them ~0.3 CPU-seconds.
    Logger log = LoggerFactory.getLogger(ServerCommand.class);
    try {
      if (server.reloadTlsCertificate().isEmpty()) {
        log.info("TLS is off: no certificate to reload");
      }
    } catch (IllegalArgumentException e) {
      log.error("SIGHUP: {}; still serving the previous certificate", e.getMessage());
    }
  }

  private Map<String, String> flags() {
    Map<String, String> flags = new LinkedHashMap<>();
    putIfGiven(flags, "host", host);
    putIfGiven(flags, "http-port", httpPort);
    putIfGiven(flags, "tcp-port", tcpPort);
    putIfGiven(flags, "tls-cert", tlsCert);
    putIfGiven(flags, "tls-key", tlsKey);
    putIfGiven(flags, "tls", tls);
    putIfGiven(flags, "files-dir", filesDir);
    putIfGiven(flags, "bus", bus);
    putIfGiven(flags, "node-id", nodeId);
    return flags;
  }

  /**
   * A server started on a new, empty data directory while the operator's data sits elsewhere (run
   * from another working directory, or without the --data-dir the service uses) would look like
   * every account and message had vanished; say where the data is.
   */
  private void warnIfDataLivesElsewhere(CliEnvironment environment, Path dataDir) {
    PrintWriter err = spec.commandLine().getErr();
    for (Path other : DataDirectory.othersWithDatabase(environment, dataDir)) {
      err.println("parley: warning: starting with an empty data directory " + dataDir + ", but " + other
          + " holds a Parley database; to use it, stop this server and pass --data-dir " + other);
    }
    err.flush();
  }

  private static void putIfGiven(Map<String, String> flags, String key, Object value) {
    if (value != null) {
      flags.put(key, value.toString());
    }
  }

  /**
   * The host as configured, with the port really bound: a wildcard bind reports the IPv6 "any"
   * address on a dual-stack socket, which is not what the operator asked for.
   */
  private static String address(String host, InetSocketAddress bound) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort();
  }
}
