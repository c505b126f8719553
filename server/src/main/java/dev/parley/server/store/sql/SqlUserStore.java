package dev.parley.server.store.sql;

import dev.parley.server.account.Usernames;
import dev.parley.server.store.Credentials;
import dev.parley.server.store.User;
import dev.parley.server.store.UserStore;
import dev.parley.server.store.UsernameTakenException;
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
      return database.write(
          connection -> {
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
          });
    } catch (RuntimeException e) {
      if (e.getCause() instanceof SQLException sql && database.isUniqueViolation(sql)) {
        throw new UsernameTakenException(username);
      }
      throw e;
    }
  }

  @Override
  public Optional<Credentials> findCredentials(String usernameKey) {
    return database.read(
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement("SELECT id, username, password_hash FROM users WHERE username_key = ?")) {
            query.setString(1, usernameKey);
            try (ResultSet rows = query.executeQuery()) {
              return rows.next()
                  ? Optional.of(new Credentials(new User(rows.getLong(1), rows.getString(2)), rows.getString(3)))
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
                  "SELECT id, username FROM users WHERE username_key >= ? AND username_key < ? ORDER BY username_key LIMIT ?")) {
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

}
