package dev.parley.server.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The group commit's hot statements, prepared once per writer connection where the database has
 * one (SQLite): preparing the multi-row INSERT again for every chunk took an eighth of the writer
 * thread, which is the message path's bottleneck. Elsewhere (PostgreSQL, pooled connections whose
 * driver keeps its own prepared statements) each is prepared and closed as usual.
 *
 * <p>Used on the writer connection only, under the database's write lock: by the group commit, and
 * by the search follower, which borrows that connection. A statement from {@link #prepare} goes
 * back through {@link #release}, never {@code close}.
 */
final class WriterStatements {
  private final boolean keep;
  /** The connection the kept statements belong to: a reopened writer connection starts afresh. */
  private Connection connection;
  private final Map<String, PreparedStatement> kept = new HashMap<>();

  WriterStatements(SqlDatabase database) {
    this.keep = database.onlyWriter();
  }

  PreparedStatement prepare(Connection on, String sql) throws SQLException {
    if (!keep) {
      return on.prepareStatement(sql);
    }
    if (on != connection) {
      // The statements of a closed connection were closed with it.
      kept.clear();
      connection = on;
    }
    PreparedStatement statement = kept.get(sql);
    if (statement == null || statement.isClosed()) {
      statement = on.prepareStatement(sql);
      kept.put(sql, statement);
    }
    return statement;
  }

  void release(PreparedStatement statement) throws SQLException {
    if (!keep) {
      statement.close();
    } else if (!statement.isClosed()) {
      // Closed with its connection when a failed commit made the writer reopen it. A batch that
      // failed before it ran must not run with the next commit's.
      statement.clearParameters();
      statement.clearBatch();
    }
  }
}
