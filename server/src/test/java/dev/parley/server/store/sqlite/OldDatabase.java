package dev.parley.server.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** A data directory's database as an earlier release left it, for the migration tests. */
final class OldDatabase {
  private OldDatabase() {}

  /** The database migrated up to {@code version} only, in a transaction the test commits. */
  static Connection at(Path dataDir, int version) throws SQLException {
    Connection connection = open(dataDir);
    connection.setAutoCommit(false);
    Migrations.apply(connection, version);
    return connection;
  }

  /** A plain connection to the data directory's database, to look at what a migration left. */
  static Connection open(Path dataDir) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteDatabase.FILE_NAME));
  }
}
