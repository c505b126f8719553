package dev.parley.server.store.sql;

import dev.parley.server.store.TokenRecord;
import dev.parley.server.store.TokenStore;
import dev.parley.server.store.User;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

public final class SqlTokenStore implements TokenStore {
  private final SqlDatabase database;

  public SqlTokenStore(SqlDatabase database) {
    this.database = database;
  }

  @Override
  public void insert(String tokenHash, long userId, long nowMillis) {
    database.update(
        "INSERT INTO tokens(token_hash, user_id, created_at, last_used_at) VALUES (?, ?, ?, ?)",
        tokenHash, userId, nowMillis, nowMillis);
  }

  @Override
  public Optional<TokenRecord> find(String tokenHash) {
    return database.read(
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT u.id, u.username, t.created_at, t.last_used_at FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?")) {
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
    database.update("UPDATE tokens SET last_used_at = ? WHERE token_hash = ?", nowMillis, tokenHash);
  }

  @Override
  public boolean delete(String tokenHash) {
    return database.update("DELETE FROM tokens WHERE token_hash = ?", tokenHash) > 0;
  }

  @Override
  public int deleteUnusedSince(long cutoffMillis) {
    return database.update("DELETE FROM tokens WHERE last_used_at < ?", cutoffMillis);
  }
}
