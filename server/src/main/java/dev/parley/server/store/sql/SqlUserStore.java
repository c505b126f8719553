package dev.parley.server.store.sql;

import dev.parley.server.account.Usernames;
import dev.parley.server.store.Credentials;
import dev.parley.server.store.InviteRefusedException;
import dev.parley.server.store.User;
import dev.parley.server.store.UserAccount;
import dev.parley.server.store.UserStore;
import dev.parley.server.store.UsernameTakenException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public final class SqlUserStore implements UserStore {
  private final SqlDatabase database;

  public SqlUserStore(SqlDatabase database) {
    this.database = database;
  }

  @Override
  public User create(String username, String usernameKey, String passwordHash, long createdAtMillis)
      throws UsernameTakenException {
    try {
      return database.write(connection -> insert(connection, username, usernameKey, passwordHash, createdAtMillis));
    } catch (RuntimeException e) {
      throw takenOr(e, username);
    }
  }

  @Override
  public User create(String username, String usernameKey, String passwordHash, long createdAtMillis, String inviteCodeHash)
      throws UsernameTakenException, InviteRefusedException {
    InviteRefusedException.Reason[] refusal = new InviteRefusedException.Reason[1];
    User user;
    try {
      // One transaction: the use is counted only if the user is stored.
      user = database.write(connection -> {
        refusal[0] = useInvite(connection, inviteCodeHash, createdAtMillis);
        return refusal[0] == null ? insert(connection, username, usernameKey, passwordHash, createdAtMillis) : null;
      });
    } catch (RuntimeException e) {
      throw takenOr(e, username);
    }
    if (refusal[0] != null) {
      throw new InviteRefusedException(refusal[0]);
    }
    return user;
  }

  /** Counts one use of the invite, or says why it cannot be used (and changes nothing). */
  private static InviteRefusedException.Reason useInvite(Connection connection, String codeHash, long nowMillis)
      throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT id, revoked_at, expires_at, uses, max_uses FROM invites WHERE code_hash = ?")) {
      query.setString(1, codeHash);
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          return InviteRefusedException.Reason.INVALID;
        }
        long id = rows.getLong(1);
        rows.getLong(2);
        if (!rows.wasNull()) {
          return InviteRefusedException.Reason.REVOKED;
        }
        long expiresAt = rows.getLong(3);
        if (!rows.wasNull() && expiresAt <= nowMillis) {
          return InviteRefusedException.Reason.EXPIRED;
        }
        if (rows.getInt(4) >= rows.getInt(5)) {
          return InviteRefusedException.Reason.USED_UP;
        }
        // The count is checked again by the update itself: on PostgreSQL two registrations (on two
        // nodes, or two request threads) may both have read the last use free above; the second
        // update waits for the first one's row lock, re-reads the row and then matches nothing.
        try (PreparedStatement use =
            connection.prepareStatement("UPDATE invites SET uses = uses + 1 WHERE id = ? AND uses < max_uses")) {
          use.setLong(1, id);
          return use.executeUpdate() == 1 ? null : InviteRefusedException.Reason.USED_UP;
        }
      }
    }
  }

  private static User insert(Connection connection, String username, String usernameKey, String passwordHash, long createdAtMillis)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO users(username, username_key, password_hash, created_at, username_skeleton)"
                + " VALUES (?, ?, ?, ?, ?) RETURNING id")) {
      insert.setString(1, username);
      insert.setString(2, usernameKey);
      insert.setString(3, passwordHash);
      insert.setLong(4, createdAtMillis);
      insert.setString(5, Usernames.skeleton(username));
      try (ResultSet rows = insert.executeQuery()) {
        rows.next();
        return new User(rows.getLong(1), username);
      }
    }
  }

  /** A unique-key violation is a taken name; anything else is rethrown as it was. */
  private UsernameTakenException takenOr(RuntimeException e, String username) {
    if (e.getCause() instanceof SQLException sql && database.isUniqueViolation(sql)) {
      return new UsernameTakenException(username);
    }
    throw e;
  }

  @Override
  public Optional<Credentials> findCredentials(String usernameKey) {
    return database.read(
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT id, username, password_hash, disabled_at IS NOT NULL, password_change_required"
                      + " FROM users WHERE username_key = ? AND deleted_at IS NULL")) {
            query.setString(1, usernameKey);
            try (ResultSet rows = query.executeQuery()) {
              return rows.next()
                  ? Optional.of(new Credentials(
                      new User(rows.getLong(1), rows.getString(2)), rows.getString(3), rows.getBoolean(4), rows.getBoolean(5)))
                  : Optional.empty();
            }
          }
        });
  }

  @Override
  public Optional<User> findByKey(String usernameKey) {
    return findCredentials(usernameKey).map(Credentials::user);
  }

  @Override
  public Optional<User> findByKeyIncludingDeleted(String usernameKey) {
    return findOne("username_key", usernameKey);
  }

  @Override
  public Optional<User> findById(long id) {
    return findOne("id", id);
  }

  @Override
  public Optional<User> findBySkeleton(String skeleton) {
    return findOne("username_skeleton", skeleton);
  }

  /** @param column a unique column, never client input */
  private Optional<User> findOne(String column, Object value) {
    return database.read(
        connection -> {
          try (PreparedStatement query = connection.prepareStatement("SELECT id, username FROM users WHERE " + column + " = ?")) {
            query.setObject(1, value);
            try (ResultSet rows = query.executeQuery()) {
              return rows.next() ? Optional.of(new User(rows.getLong(1), rows.getString(2))) : Optional.empty();
            }
          }
        });
  }

  @Override
  public List<User> list(String keyPrefix, int limit) {
    return database.read(
        connection -> {
          // A range on the unique index instead of LIKE, whose wildcards and case rules would leak in.
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT id, username FROM users WHERE username_key >= ? AND username_key < ? AND deleted_at IS NULL"
                      + " ORDER BY username_key LIMIT ?")) {
            query.setString(1, keyPrefix);
            query.setString(2, keyPrefix + Character.toString(Character.MAX_CODE_POINT));
            query.setInt(3, limit);
            try (ResultSet rows = query.executeQuery()) {
              List<User> users = new ArrayList<>();
              while (rows.next()) {
                users.add(new User(rows.getLong(1), rows.getString(2)));
              }
              return users;
            }
          }
        });
  }

  @Override
  public List<UserAccount> accounts(String keyPrefix, int limit) {
    return database.read(
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT id, username, created_at, last_seen_at, admin, disabled_at IS NOT NULL, password_change_required"
                      + " FROM users WHERE username_key >= ? AND username_key < ? AND deleted_at IS NULL"
                      + " ORDER BY username_key LIMIT ?")) {
            query.setString(1, keyPrefix);
            query.setString(2, keyPrefix + Character.toString(Character.MAX_CODE_POINT));
            query.setInt(3, limit);
            try (ResultSet rows = query.executeQuery()) {
              List<UserAccount> accounts = new ArrayList<>();
              while (rows.next()) {
                long lastSeen = rows.getLong(4);
                Long lastSeenAt = rows.wasNull() ? null : lastSeen;
                accounts.add(new UserAccount(new User(rows.getLong(1), rows.getString(2)), rows.getLong(3), lastSeenAt,
                    rows.getBoolean(5), rows.getBoolean(6), rows.getBoolean(7)));
              }
              return accounts;
            }
          }
        });
  }

  @Override
  public boolean isAdmin(long userId) {
    return database.read(
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement("SELECT admin FROM users WHERE id = ? AND deleted_at IS NULL AND disabled_at IS NULL")) {
            query.setLong(1, userId);
            try (ResultSet rows = query.executeQuery()) {
              return rows.next() && rows.getBoolean(1);
            }
          }
        });
  }

  @Override
  public void setAdmin(long userId, boolean admin) {
    database.update("UPDATE users SET admin = ? WHERE id = ?", admin ? 1 : 0, userId);
  }

  @Override
  public void setDisabled(long userId, boolean disabled, long nowMillis) {
    database.update("UPDATE users SET disabled_at = ? WHERE id = ?", disabled ? nowMillis : null, userId);
  }

  @Override
  public void markDeleted(long userId, long nowMillis) {
    // An empty hash matches no password, so even a decoy-free check cannot log in.
    database.update(
        "UPDATE users SET deleted_at = ?, password_hash = '', admin = 0, password_change_required = 0 WHERE id = ?",
        nowMillis, userId);
  }

  @Override
  public void setPassword(long userId, String passwordHash, boolean changeRequired) {
    database.update(
        "UPDATE users SET password_hash = ?, password_change_required = ? WHERE id = ?", passwordHash, changeRequired ? 1 : 0, userId);
  }
}
