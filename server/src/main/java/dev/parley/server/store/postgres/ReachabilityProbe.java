package dev.parley.server.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the PostgreSQL server answers, for {@code /healthz}: every {@link #PERIOD} a
 * {@code SELECT 1} on a connection of the probe's own, with {@link #TIMEOUT} to connect and to
 * answer, so a database that is down, refusing connections or hanging shows within seconds, with
 * no request waiting on the pool for it. One log line when an episode starts and one when it ends;
 * the pool reconnects by itself, so the server needs no restart. Thread-safe.
 */
final class ReachabilityProbe implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReachabilityProbe.class);
  static final Duration PERIOD = Duration.ofSeconds(2);
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final PostgresUrl url;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("parley-db-probe").daemon().factory());
  /** Only the probe's thread touches it; null until connected and after a failure. */
  private Connection connection;
  /** What is wrong, or null; written by the probe's thread, read by health checks. */
  private volatile String problem;

  ReachabilityProbe(PostgresUrl url) {
    this.url = url;
  }

  void start() {
    scheduler.scheduleWithFixedDelay(this::probe, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** What is wrong with the database as last probed, or null while it answers; never blocks. */
  String problem() {
    return problem;
  }

  private void probe() {
    try {
      if (connection == null) {
        connection = connect();
      }
      try (Statement statement = connection.createStatement()) {
        statement.setQueryTimeout((int) TIMEOUT.toSeconds());
        statement.execute("SELECT 1");
      }
      if (problem != null) {
        log.info("the database at {} answers again", url);
        problem = null;
      }
    } catch (SQLException e) {
      closeConnection();
      if (problem == null) {
        log.error("the database at {} does not answer: {}", url, e.getMessage());
      }
      problem = "unreachable: " + e.getMessage();
    }
  }

  private Connection connect() throws SQLException {
    Properties timeouts = new Properties();
    timeouts.setProperty("connectTimeout", String.valueOf(TIMEOUT.toSeconds()));
    timeouts.setProperty("socketTimeout", String.valueOf(TIMEOUT.toSeconds() * 2));
    timeouts.setProperty("ApplicationName", "parley health probe");
    return url.connect(timeouts);
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        log.debug("closing the probe's connection failed", e);
      }
      connection = null;
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeConnection();
  }
}
