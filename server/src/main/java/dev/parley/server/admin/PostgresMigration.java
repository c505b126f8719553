package dev.parley.server.admin;

import dev.parley.server.store.postgres.PostgresDatabase;
import dev.parley.server.store.postgres.PostgresUrl;
import dev.parley.server.store.sql.SqlDatabase;
import dev.parley.server.store.sqlite.SqliteDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The operator's move from SQLite to PostgreSQL ({@code parley admin migrate-to-postgres}):
 * copies every row of an installation's database (users, tokens, invites, conversations, members
 * with their read cursors and notification levels, files, messages with their edits, deletes and
 * mentions, uploads) into an empty PostgreSQL database, in one
 * PostgreSQL transaction, and checks the counts before committing: the target ends up with all
 * of it or none of it. Ids and seqs are kept as they are, and the identity counters set past
 * them, so tokens, clients' {@code since} cursors and file ids stay valid. The search index is
 * built anew from the copied messages (SQLite's holds no text to copy), and its size checked
 * against SQLite's. The files' bytes stay
 * in the data directory, which the server keeps using. Run it with the server stopped.
 */
public final class PostgresMigration {
  /** In the order foreign keys need them. */
  private static final List<String> TABLES =
      List.of("users", "tokens", "invites", "conversations", "conversation_members", "files", "messages", "message_mentions",
          "uploads");
  /** Tables with an identity column, and that column. */
  private static final Map<String, String> IDENTITIES =
      Map.of("users", "id", "invites", "id", "conversations", "id", "messages", "seq");
  /** What the stores keep searchable: the current text or file name of each live message, as they index it. */
  private static final String SEARCHABLE =
      "SELECT m.seq, coalesce(f.name, m.body) FROM messages m "
          + "LEFT JOIN files f ON f.id = m.file_id "
          + "WHERE m.event_kind IS NULL AND m.edits IS NULL AND m.deletes IS NULL AND m.deleted_at IS NULL";
  private static final int BATCH_ROWS = SqlDatabase.BULK_BATCH_ROWS;

  private PostgresMigration() {}

  /** Rows copied, by table, in copy order. */
  public record Copied(Map<String, Long> rows) {}

  /**
   * @throws IllegalStateException when the data directory has no database, the target holds data,
   *     the two schemas differ, or the counts do not match (then nothing was kept)
   */
  public static Copied copy(Path dataDir, PostgresUrl target) {
    if (!Files.isRegularFile(dataDir.resolve(SqliteDatabase.FILE_NAME))) {
      throw new IllegalStateException("no Parley database in " + dataDir + " (" + SqliteDatabase.FILE_NAME + ")");
    }
    try (SqliteDatabase source = SqliteDatabase.open(dataDir);
        PostgresDatabase postgres = PostgresDatabase.open(target, 2)) {
      return source.read(from -> {
        // One read transaction: a consistent snapshot even if something still writes.
        from.setAutoCommit(false);
        try {
          return postgres.write(to -> copyAll(from, to, target));
        } finally {
          from.rollback();
          from.setAutoCommit(true);
        }
      });
    }
  }

  private static Copied copyAll(Connection from, Connection to, PostgresUrl target) throws SQLException {
    for (String table : TABLES) {
      if (count(to, table) > 0) {
        throw new IllegalStateException("the target database " + target + " is not empty (table " + table + " has rows); "
            + "migrate into a new, empty database");
      }
    }
    Map<String, Long> copied = new LinkedHashMap<>();
    for (String table : TABLES) {
      copyTable(from, to, table);
      long expected = count(from, table);
      long actual = count(to, table);
      if (expected != actual) {
        throw new IllegalStateException(table + ": " + expected + " rows in SQLite but " + actual + " copied; nothing was kept");
      }
      copied.put(table, actual);
    }
    copySearchIndex(from, to);
    for (Map.Entry<String, String> identity : IDENTITIES.entrySet()) {
      long next = Math.max(max(from, identity.getKey(), identity.getValue()), autoincrement(from, identity.getKey())) + 1;
      try (PreparedStatement restart =
          to.prepareStatement("SELECT setval(pg_get_serial_sequence(?, ?), ?, false)")) {
        restart.setString(1, identity.getKey());
        restart.setString(2, identity.getValue());
        restart.setLong(3, next);
        restart.execute();
      }
    }
    return new Copied(Collections.unmodifiableMap(copied));
  }

  private static void copySearchIndex(Connection from, Connection to) throws SQLException {
    try (Statement statement = to.createStatement()) {
      statement.executeUpdate("INSERT INTO message_search(rowid, body) " + SEARCHABLE);
    }
    // Counted from the log, not from SQLite's index, which may not have caught up with its last
    // messages yet if the server was killed (it indexes them behind the writer, on its next start).
    long expected;
    try (Statement statement = from.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM (" + SEARCHABLE + ") AS searchable")) {
      rows.next();
      expected = rows.getLong(1);
    }
    long actual = count(to, "message_search");
    if (expected != actual) {
      throw new IllegalStateException("message_search: " + expected + " messages searchable in SQLite but " + actual
          + " indexed; nothing was kept");
    }
  }

  private static void copyTable(Connection from, Connection to, String table) throws SQLException {
    List<String> columns = columns(from, table);
    TreeSet<String> missing = new TreeSet<>(columns);
    missing.removeAll(columns(to, table));
    TreeSet<String> extra = new TreeSet<>(columns(to, table));
    extra.removeAll(columns);
    if (!missing.isEmpty() || !extra.isEmpty()) {
      throw new IllegalStateException("table " + table + " differs between SQLite and PostgreSQL (only in SQLite: " + missing
          + ", only in PostgreSQL: " + extra + "); the PostgreSQL migrations need the same columns");
    }
    String names = String.join(", ", columns);
    String placeholders = String.join(", ", Collections.nCopies(columns.size(), "?"));
    try (Statement select = from.createStatement();
        ResultSet rows = select.executeQuery("SELECT " + names + " FROM " + table);
        PreparedStatement insert =
            to.prepareStatement("INSERT INTO " + table + "(" + names + ") VALUES (" + placeholders + ")")) {
      int pending = 0;
      while (rows.next()) {
        for (int i = 1; i <= columns.size(); i++) {
          insert.setObject(i, rows.getObject(i));
        }
        insert.addBatch();
        if (++pending == BATCH_ROWS) {
          insert.executeBatch();
          pending = 0;
        }
      }
      if (pending > 0) {
        insert.executeBatch();
      }
    }
  }

  private static List<String> columns(Connection connection, String table) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet empty = statement.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
      ResultSetMetaData meta = empty.getMetaData();
      List<String> columns = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        columns.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
      }
      return columns;
    }
  }

  private static long count(Connection connection, String table) throws SQLException {
    return single(connection, "SELECT count(*) FROM " + table);
  }

  private static long max(Connection connection, String table, String column) throws SQLException {
    return single(connection, "SELECT coalesce(max(" + column + "), 0) FROM " + table);
  }

  /** SQLite's AUTOINCREMENT high-water mark: a seq it handed out is never handed out again. */
  private static long autoincrement(Connection sqlite, String table) throws SQLException {
    try (PreparedStatement query = sqlite.prepareStatement("SELECT seq FROM sqlite_sequence WHERE name = ?")) {
      query.setString(1, table);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? rows.getLong(1) : 0;
      }
    }
  }

  private static long single(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
