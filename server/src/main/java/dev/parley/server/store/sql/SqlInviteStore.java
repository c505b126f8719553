package dev.parley.server.store.sql;

import dev.parley.server.store.Invite;
import dev.parley.server.store.InviteStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Invites in the users' database; their uses are counted by {@link SqlUserStore} as it registers. */
public final class SqlInviteStore implements InviteStore {
  private static final String COLUMNS =
      "i.id, (SELECT username FROM users WHERE id = i.created_by), i.created_at, i.expires_at, i.max_uses, i.uses, i.revoked_at";

  private final SqlDatabase database;

  public SqlInviteStore(SqlDatabase database) {
    this.database = database;
  }

  @Override
  public Invite create(String codeHash, Long createdBy, long nowMillis, Long expiresAtMillis, int maxUses) {
    return database.write(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO invites(code_hash, created_by, created_at, expires_at, max_uses) VALUES (?, ?, ?, ?, ?) RETURNING id")) {
        insert.setString(1, codeHash);
        insert.setObject(2, createdBy);
        insert.setLong(3, nowMillis);
        insert.setObject(4, expiresAtMillis);
        insert.setInt(5, maxUses);
        long id;
        try (ResultSet rows = insert.executeQuery()) {
          rows.next();
          id = rows.getLong(1);
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM invites i WHERE i.id = ?")) {
          query.setLong(1, id);
          return read(query).getFirst();
        }
      }
    });
  }

  @Override
  public List<Invite> list() {
    return database.read(connection -> {
      try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM invites i ORDER BY i.id DESC")) {
        return read(query);
      }
    });
  }

  @Override
  public boolean revoke(long id, long nowMillis) {
    return database.update("UPDATE invites SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?", nowMillis, id) > 0;
  }

  private static List<Invite> read(PreparedStatement query) throws SQLException {
    try (ResultSet rows = query.executeQuery()) {
      List<Invite> invites = new ArrayList<>();
      while (rows.next()) {
        long expires = rows.getLong(4);
        Long expiresAt = rows.wasNull() ? null : expires;
        long revoked = rows.getLong(7);
        Long revokedAt = rows.wasNull() ? null : revoked;
        invites.add(new Invite(rows.getLong(1), rows.getString(2), rows.getLong(3), expiresAt, rows.getInt(5), rows.getInt(6), revokedAt));
      }
      return invites;
    }
  }
}
