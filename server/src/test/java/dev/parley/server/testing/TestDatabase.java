package dev.parley.server.testing;

import dev.parley.server.store.postgres.PostgresUrl;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * A PostgreSQL database of a test's own on the local server (127.0.0.1:5432, user postgres, trust
 * authentication; {@code ./run-tests} starts one where none runs): created empty, dropped on
 * close with whatever connections are still open to it.
 */
public final class TestDatabase implements AutoCloseable {
  /**
   * As the value of a test server's {@code database} setting ({@code @ServerSetting}): a
   * PostgreSQL database of that server's own, created with it and dropped when it closes.
   */
  public static final String OWN = "postgresql://own-test-database";

  /** The server the tests use; its {@code postgres} database is where others are created from. */
  public static final String SERVER = "postgresql://postgres@127.0.0.1:5432/postgres";

  private final String name;

  private TestDatabase(String name) {
    this.name = name;
  }

  public static TestDatabase create() {
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    TestDatabase database = new TestDatabase("parley_test_" + HexFormat.of().formatHex(random));
    database.onServer("CREATE DATABASE " + database.name + " ENCODING 'UTF8' TEMPLATE template0");
    return database;
  }

  /** The {@code database} setting for it. */
  public String url() {
    return "postgresql://postgres@127.0.0.1:5432/" + name;
  }

  public PostgresUrl parsedUrl() {
    return PostgresUrl.parse(url(), PostgresUrl.Environment.current());
  }

  public String name() {
    return name;
  }

  /** The database as if its server went away: open connections are cut and new ones refused. */
  public void refuseConnections() {
    onServer("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
    onServer("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
  }

  /** Undoes {@link #refuseConnections}. */
  public void allowConnections() {
    onServer("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
  }

  @Override
  public void close() {
    onServer("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  private static void onServer(String sql) {
    PostgresUrl server = PostgresUrl.parse(SERVER, PostgresUrl.Environment.current());
    try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed on " + server + " (is PostgreSQL running? ./run-tests starts it)", e);
    }
  }
}
