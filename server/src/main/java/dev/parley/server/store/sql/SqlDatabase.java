package dev.parley.server.store.sql;

import dev.parley.server.store.LimitCells;
import dev.parley.server.store.UploadLocks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * A SQL database the stores run on: the embedded SQLite file, or a PostgreSQL server shared by
 * several nodes. The stores' SQL is written once for both (the subset they share: positional
 * parameters, {@code ON CONFLICT}, {@code RETURNING}); what differs is behind this interface.
 * Thread-safe.
 */
public interface SqlDatabase extends AutoCloseable {
  /** Rows per transaction in bulk inserts: the commit per batch stops mattering, and no writer waits long. */
  int BULK_BATCH_ROWS = 1000;

  /** One unit of SQL work on a connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction and commits it durably. When it fails, with anything,
   * none of it is kept; a full disk fails it with {@code StorageFullException}.
   */
  <T> T write(Work<T> work);

  /** Runs {@code work} outside a write transaction: each statement sees what is committed when it starts. */
  <T> T read(Work<T> work);

  /**
   * Called first in every transaction that appends to the message log, before it allocates a seq:
   * from here to its commit no other append, of this process or another, can run. That makes seq
   * order commit order as readers see it (see {@link ReplayQuery}).
   */
  void lockLog(Connection connection) throws SQLException;

  /**
   * Called first in a transaction that checks a user's totals (uploads, storage) before it adds to
   * them: from here to its commit no other such transaction for the user, of this process or
   * another, runs, so two nodes cannot both pass a check only one should.
   */
  void lockUser(Connection connection, long userId) throws SQLException;

  /**
   * Whether this process is the database's only writer, so that what it committed is all there
   * is and may be cached (each conversation's newest message number, the newest client ids, which
   * is then the only check of a retry: such a database has no unique index on them); false when
   * other nodes write too.
   */
  boolean onlyWriter();

  /** The locks that keep an upload to one writer among every process using this database. */
  UploadLocks uploadLocks();

  /** Where the throttles and rate limits keep their state: shared by every process using this database. */
  LimitCells limitCells();

  /** What keeps this database from answering now, or null while it does; never blocks (it runs on an event loop). */
  String problem();

  /** Whether the failure is a unique constraint refusing a row. */
  boolean isUniqueViolation(SQLException e);

  /**
   * The condition that search index row {@code s} ({@code message_search}) of message {@code m}
   * (with its file {@code f}) holds a text case-insensitively as a substring, answered from a
   * trigram index; its parameters are {@link #searchParameters}.
   */
  String searchMatch();

  /** The parameters of {@link #searchMatch}, in order, for a search for {@code text} (three characters or more). */
  List<String> searchParameters(String text);

  /** The operator for a case-insensitive {@code LIKE}, whose pattern {@link #containsPattern} makes. */
  String caseInsensitiveLike();

  /** A {@code LIKE ... ESCAPE '\'} pattern matching text that holds {@code text} as it is, wildcards included. */
  static String containsPattern(String text) {
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }

  /** One statement in its own durable transaction; parameters bind in order, null as SQL NULL. */
  default int update(String sql, Object... parameters) {
    return write(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        for (int i = 0; i < parameters.length; i++) {
          statement.setObject(i + 1, parameters[i]);
        }
        return statement.executeUpdate();
      }
    });
  }

  @Override
  void close();
}
