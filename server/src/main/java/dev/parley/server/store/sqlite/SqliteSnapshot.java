package dev.parley.server.store.sqlite;

import dev.parley.server.store.DatabaseSnapshot;
import dev.parley.server.store.PrivateFiles;
import dev.parley.server.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteConfig;

/**
 * A consistent copy of a data directory's database, taken with {@code VACUUM INTO} while a server
 * may be writing. {@code VACUUM INTO} reads in one transaction, which under WAL neither blocks the
 * server's writer nor is restarted by its commits (the online backup API restarts its copy when
 * another connection writes, and under steady message load may never finish). The copy is a
 * compact file of its own, ready to be opened as {@value SqliteDatabase#FILE_NAME}.
 */
public final class SqliteSnapshot implements DatabaseSnapshot {
  private final Path file;

  private SqliteSnapshot(Path file) {
    this.file = file;
  }

  /**
   * Copies the database of {@code dataDir} to {@code target}, which must not exist. Uploads still
   * in progress are left out of the copy: their partial bytes are not backed up, so their clients
   * start them again.
   */
  public static SqliteSnapshot take(Path dataDir, Path target) {
    Path source = dataDir.resolve(SqliteDatabase.FILE_NAME);
    if (!Files.isRegularFile(source)) {
      throw new StoreException("no Parley database in " + dataDir, null);
    }
    try {
      // VACUUM INTO writes into an empty file: created owner-only first, as the data directory's are.
      Files.createFile(target, PrivateFiles.fileAttributes());
    } catch (IOException e) {
      throw new StoreException("cannot create " + target, e);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(10_000);
    try (Connection connection = config.createConnection("jdbc:sqlite:" + source.toAbsolutePath());
        PreparedStatement vacuum = connection.prepareStatement("VACUUM INTO ?")) {
      vacuum.setString(1, target.toAbsolutePath().toString());
      vacuum.execute();
    } catch (SQLException e) {
      throw new StoreException("cannot copy the database of " + dataDir, e);
    }
    SqliteSnapshot snapshot = new SqliteSnapshot(target);
    snapshot.update(statement -> statement.executeUpdate("DELETE FROM uploads"));
    return snapshot;
  }

  @Override
  public List<String> liveFileIds() {
    List<String> ids = new ArrayList<>();
    query("SELECT id FROM files WHERE deleted_at IS NULL ORDER BY id", rows -> {
      while (rows.next()) {
        ids.add(rows.getString(1));
      }
    });
    return ids;
  }

  @Override
  public void markFilesDeleted(List<String> ids, long nowMillis) {
    update(statement -> {
      try (PreparedStatement mark = statement.getConnection().prepareStatement(
          "UPDATE files SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL")) {
        for (String id : ids) {
          mark.setLong(1, nowMillis);
          mark.setString(2, id);
          mark.executeUpdate();
        }
      }
      return ids.size();
    });
  }

  @Override
  public Map<String, Long> counts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    query(
        "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM conversations), (SELECT count(*) FROM messages),"
            + " (SELECT count(*) FROM files WHERE deleted_at IS NULL)",
        rows -> {
          rows.next();
          counts.put("users", rows.getLong(1));
          counts.put("conversations", rows.getLong(2));
          counts.put("messages", rows.getLong(3));
          counts.put("files", rows.getLong(4));
        });
    return counts;
  }

  @FunctionalInterface
  private interface Rows {
    void read(ResultSet rows) throws SQLException;
  }

  @FunctionalInterface
  private interface Change {
    int apply(Statement statement) throws SQLException;
  }

  private void query(String sql, Rows reader) {
    try (Connection connection = new SQLiteConfig().createConnection(url());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      reader.read(rows);
    } catch (SQLException e) {
      throw new StoreException("cannot read the database copy " + file, e);
    }
  }

  private void update(Change change) {
    try (Connection connection = new SQLiteConfig().createConnection(url());
        Statement statement = connection.createStatement()) {
      change.apply(statement);
    } catch (SQLException e) {
      throw new StoreException("cannot update the database copy " + file, e);
    }
  }

  private String url() {
    return "jdbc:sqlite:" + file.toAbsolutePath();
  }
}
