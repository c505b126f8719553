package dev.parley.server.store.postgres;

import dev.parley.server.store.LimitCells;
import dev.parley.server.store.sql.SqlDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.UnaryOperator;

/**
 * Limit cells in the {@code limit_cells} table (PostgreSQL only, see {@link PgMigrations}), shared
 * by every node on the database; a single SQLite node keeps them in memory. An update reads the row {@code FOR UPDATE}, so the
 * updates of one key run one at a time across nodes; a new key's row is inserted with
 * {@code ON CONFLICT DO NOTHING}, and the loser of that race runs again on the winner's row.
 * Thread-safe.
 */
final class PgLimitCells implements LimitCells {
  private final SqlDatabase database;

  PgLimitCells(SqlDatabase database) {
    this.database = database;
  }

  @Override
  public Cell get(String key) {
    return database.read(connection -> select(connection, key, ""));
  }

  @Override
  public Cell update(String key, UnaryOperator<Cell> update) {
    while (true) {
      Written written = database.write(connection -> {
        Cell current = select(connection, key, " FOR UPDATE");
        Cell next = update.apply(current);
        if (next == null) {
          if (current != null) {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM limit_cells WHERE key = ?")) {
              delete.setString(1, key);
              delete.executeUpdate();
            }
          }
          return new Written(true, null);
        }
        String sql = current == null
            ? "INSERT INTO limit_cells(count, since_at, until_at, forget_at, key) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING"
            : "UPDATE limit_cells SET count = ?, since_at = ?, until_at = ?, forget_at = ? WHERE key = ?";
        try (PreparedStatement write = connection.prepareStatement(sql)) {
          write.setLong(1, next.count());
          write.setLong(2, next.sinceMillis());
          write.setLong(3, next.untilMillis());
          write.setLong(4, next.forgetAtMillis());
          write.setString(5, key);
          return new Written(write.executeUpdate() == 1, next);
        }
      });
      if (written.done()) {
        return written.cell();
      }
    }
  }

  @Override
  public void forget(long nowMillis) {
    database.update("DELETE FROM limit_cells WHERE forget_at <= ?", nowMillis);
  }

  @Override
  public boolean shared() {
    return true;
  }

  private record Written(boolean done, Cell cell) {}

  private static Cell select(Connection connection, String key, String lock) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT count, since_at, until_at, forget_at FROM limit_cells WHERE key = ?" + lock)) {
      query.setString(1, key);
      try (ResultSet row = query.executeQuery()) {
        return row.next() ? new Cell(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4)) : null;
      }
    }
  }
}
