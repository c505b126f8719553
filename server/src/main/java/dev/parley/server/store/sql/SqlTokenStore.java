package dev.parley.server.store.sql;

import dev.parley.server.store.LoginSession;
import dev.parley.server.store.TokenRecord;
import dev.parley.server.store.TokenStore;
import dev.parley.server.store.User;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public final class SqlTokenStore implements TokenStore {
  private final SqlDatabase database;

  public SqlTokenStore(SqlDatabase database) {
    this.database = database;
  }

  @Override
  public void insert(String tokenHash, long userId, long nowMillis, String clientAddress, String clientAgent) {
    database.write(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(
              "INSERT INTO tokens(token_hash, user_id, created_at, last_used_at, client_address, client_agent) VALUES (?, ?, ?, ?, ?, ?)");
          PreparedStatement seen = connection.prepareStatement("UPDATE users SET last_seen_at = ? WHERE id = ?")) {
        insert.setString(1, tokenHash);
        insert.setLong(2, userId);
        insert.setLong(3, nowMillis);
        insert.setLong(4, nowMillis);
        insert.setString(5, clientAddress);
        insert.setString(6, clientAgent);
        insert.executeUpdate();
        seen.setLong(1, nowMillis);
        seen.setLong(2, userId);
        return seen.executeUpdate();
      }
    });
  }

  /** A token of a disabled or deleted account is not found: its owner may not use it. */
  @Override
  public Optional<TokenRecord> find(String tokenHash) {
    return database.read(
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT u.id, u.username, t.created_at, t.last_used_at FROM tokens t JOIN users u ON u.id = t.user_id"
                      + " WHERE t.token_hash = ? AND u.disabled_at IS NULL AND u.deleted_at IS NULL")) {
            query.setString(1, tokenHash);
            try (ResultSet rows = query.executeQuery()) {
              return rows.next()
                  ? Optional.of(
                      new TokenRecord(new User(rows.getLong(1), rows.getString(2)), rows.getLong(3), rows.getLong(4)))
                  : Optional.empty();
            }
          }
        });
  }

  @Override
  public void touch(String tokenHash, long nowMillis) {
    database.write(connection -> {
      try (PreparedStatement touch = connection.prepareStatement("UPDATE tokens SET last_used_at = ? WHERE token_hash = ?");
          PreparedStatement seen = connection.prepareStatement(
              "UPDATE users SET last_seen_at = ? WHERE id = (SELECT user_id FROM tokens WHERE token_hash = ?)")) {
        for (PreparedStatement statement : List.of(touch, seen)) {
          statement.setLong(1, nowMillis);
          statement.setString(2, tokenHash);
          statement.executeUpdate();
        }
        return null;
      }
    });
  }

  @Override
  public boolean delete(String tokenHash) {
    return database.update("DELETE FROM tokens WHERE token_hash = ?", tokenHash) > 0;
  }

  @Override
  public int deleteUnusedSince(long cutoffMillis) {
    return database.update("DELETE FROM tokens WHERE last_used_at < ?", cutoffMillis);
  }

  @Override
  public List<LoginSession> ofUser(long userId) {
    return database.read(
        connection -> {
          try (PreparedStatement query = connection.prepareStatement(
              "SELECT token_hash, created_at, last_used_at, client_address, client_agent FROM tokens"
                  + " WHERE user_id = ? ORDER BY last_used_at DESC, created_at DESC")) {
            query.setLong(1, userId);
            try (ResultSet rows = query.executeQuery()) {
              List<LoginSession> sessions = new ArrayList<>();
              while (rows.next()) {
                sessions.add(new LoginSession(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getString(4), rows.getString(5)));
              }
              return sessions;
            }
          }
        });
  }

  @Override
  public List<String> deleteAllOf(long userId, String keptTokenHash) {
    return database.write(connection -> {
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM tokens WHERE user_id = ? AND token_hash IS DISTINCT FROM ? RETURNING token_hash")) {
        delete.setLong(1, userId);
        delete.setString(2, keptTokenHash);
        return hashes(delete);
      }
    });
  }

  @Override
  public Optional<String> deleteByPrefix(long userId, String hashPrefix) {
    return database.write(connection -> {
      // A range on the primary key, not LIKE: the prefix is client input and its wildcards must not count.
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM tokens WHERE user_id = ? AND token_hash >= ? AND token_hash < ? RETURNING token_hash")) {
        delete.setLong(1, userId);
        delete.setString(2, hashPrefix);
        delete.setString(3, hashPrefix + Character.toString(Character.MAX_CODE_POINT));
        List<String> deleted = hashes(delete);
        return deleted.isEmpty() ? Optional.empty() : Optional.of(deleted.getFirst());
      }
    });
  }

  private static List<String> hashes(PreparedStatement statement) throws SQLException {
    try (ResultSet rows = statement.executeQuery()) {
      List<String> hashes = new ArrayList<>();
      while (rows.next()) {
        hashes.add(rows.getString(1));
      }
      return hashes;
    }
  }
}
