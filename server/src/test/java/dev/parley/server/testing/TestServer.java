package dev.parley.server.testing;

import dev.parley.server.ParleyServer;
import dev.parley.server.admin.OperatorAccounts;
import dev.parley.server.config.Settings;
import dev.parley.server.store.MessageStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A real server for tests: loopback, ephemeral ports, SQLite in a fresh temp directory, or with
 * the setting {@code database} = {@link TestDatabase#OWN}, PostgreSQL in a fresh database dropped
 * when the server closes. Argon2 is configured cheaper than production (it is a setting) so that
 * suites with hundreds of logins stay quick; everything else is the production default unless a
 * test overrides it.
 */
public final class TestServer implements AutoCloseable {
  private final Path dataDir;
  private final boolean ownsDataDir;
  private final ParleyServer server;
  /** The PostgreSQL database made for this server, or null. */
  private final TestDatabase database;

  private TestServer(Path dataDir, boolean ownsDataDir, ParleyServer server, TestDatabase database) {
    this.dataDir = dataDir;
    this.ownsDataDir = ownsDataDir;
    this.server = server;
    this.database = database;
  }

  public static TestServer start() {
    return start(Map.of());
  }

  public static TestServer start(Map<String, Object> overrides) {
    return start(overrides, Clock.systemUTC());
  }

  /** A server whose expiries, throttles and rate limits read {@code clock} (a {@link TestClock}). */
  public static TestServer start(Map<String, Object> overrides, Clock clock) {
    try {
      return start(Files.createTempDirectory("parley-test"), true, overrides, clock, UnaryOperator.identity());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A server on an existing data directory, which the caller owns (for restart tests). */
  public static TestServer startOn(Path dataDir, Map<String, Object> overrides) {
    return start(dataDir, false, overrides, Clock.systemUTC(), UnaryOperator.identity());
  }

  /** A server whose message writer appends through {@code messageStore}, for fault injection. */
  public static TestServer startWrapping(Map<String, Object> overrides, UnaryOperator<MessageStore> messageStore) {
    try {
      return start(Files.createTempDirectory("parley-test"), true, overrides, Clock.systemUTC(), messageStore);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static TestServer start(
      Path dataDir, boolean owns, Map<String, Object> overrides, Clock clock, UnaryOperator<MessageStore> messageStore) {
    Settings settings = testSettings(dataDir);
    overrides.forEach(settings::with);
    TestDatabase database = TestDatabase.OWN.equals(overrides.get("database")) ? TestDatabase.create() : null;
    if (database != null) {
      settings.with("database", database.url());
    }
    try {
      return new TestServer(dataDir, owns, ParleyServer.start(settings.toConfig(), clock, messageStore), database);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (RuntimeException e) {
      if (database != null) {
        database.close();
      }
      throw e;
    }
  }

  /**
   * The settings every test server uses: loopback, port 0 (the admin listener's too), cheap
   * Argon2, and registration limits that suites registering dozens of users from 127.0.0.1 never
   * meet (tests of the limits set their own).
   */
  public static Settings testSettings(Path dataDir) {
    return Settings.defaultsOnly()
        .with("host", "127.0.0.1")
        .with("http-port", 0)
        .with("tcp-port", 0)
        .with("admin-port", 0)
        .with("data-dir", dataDir)
        .with("argon2-memory-kib", 1024)
        .with("argon2-iterations", 1)
        .with("registrations-per-address-per-hour", 100_000)
        .with("registrations-per-hour", 100_000);
  }

  public URI http() {
    return URI.create("http://127.0.0.1:" + server.httpAddress().getPort());
  }

  /** The admin listener: {@code /metrics}, {@code /healthz}. */
  public URI admin() {
    return URI.create("http://127.0.0.1:" + server.adminAddress().getPort());
  }

  public URI webSocket() {
    return URI.create("ws://127.0.0.1:" + server.httpAddress().getPort() + "/api/v1/ws");
  }

  public int tcpPort() {
    return server.tcpAddress().getPort();
  }

  public int httpPort() {
    return server.httpAddress().getPort();
  }

  /** The operator's account commands on this server's database, as {@code parley admin} opens it; the caller closes it. */
  public OperatorAccounts operatorAccounts() {
    return OperatorAccounts.open(dataDir, database == null ? null : database.url());
  }

  public Path dataDir() {
    return dataDir;
  }

  public ParleyServer server() {
    return server;
  }

  @Override
  public void close() {
    server.close();
    if (database != null) {
      database.close();
    }
    if (ownsDataDir && Files.exists(dataDir)) {
      deleteRecursively(dataDir);
    }
  }

  public static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
