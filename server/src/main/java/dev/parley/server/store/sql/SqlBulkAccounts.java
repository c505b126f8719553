package dev.parley.server.store.sql;

import dev.parley.server.admin.BulkAccounts;
import dev.parley.server.admin.NewToken;
import dev.parley.server.admin.NewUser;
import dev.parley.server.account.Usernames;
import java.sql.PreparedStatement;
import java.util.List;

/** Batched inserts of {@link SqlDatabase#BULK_BATCH_ROWS} rows per transaction. */
final class SqlBulkAccounts implements BulkAccounts {
  private final SqlDatabase database;

  SqlBulkAccounts(SqlDatabase database) {
    this.database = database;
  }

  @Override
  public int createUsers(List<NewUser> users, long createdAtMillis) {
    int created = 0;
    for (int from = 0; from < users.size(); from += SqlDatabase.BULK_BATCH_ROWS) {
      List<NewUser> batch = users.subList(from, Math.min(users.size(), from + SqlDatabase.BULK_BATCH_ROWS));
      created +=
          database.write(
              connection -> {
                try (PreparedStatement insert =
                    connection.prepareStatement(
                        "INSERT INTO users(username, username_key, password_hash, created_at, username_skeleton)"
                            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                  for (NewUser user : batch) {
                    insert.setString(1, user.username());
                    insert.setString(2, user.usernameKey());
                    insert.setString(3, user.passwordHash());
                    insert.setLong(4, createdAtMillis);
                    insert.setString(5, Usernames.skeleton(user.username()));
                    insert.addBatch();
                  }
                  int inserted = 0;
                  for (int count : insert.executeBatch()) {
                    inserted += Math.max(count, 0);
                  }
                  return inserted;
                }
              });
    }
    return created;
  }

  @Override
  public void insertTokens(List<NewToken> tokens, long nowMillis) {
    for (int from = 0; from < tokens.size(); from += SqlDatabase.BULK_BATCH_ROWS) {
      List<NewToken> batch = tokens.subList(from, Math.min(tokens.size(), from + SqlDatabase.BULK_BATCH_ROWS));
      database.write(
          connection -> {
            try (PreparedStatement insert =
                connection.prepareStatement(
                    "INSERT INTO tokens(token_hash, user_id, created_at, last_used_at) VALUES (?, ?, ?, ?)")) {
              for (NewToken token : batch) {
                insert.setString(1, token.tokenHash());
                insert.setLong(2, token.userId());
                insert.setLong(3, nowMillis);
                insert.setLong(4, nowMillis);
                insert.addBatch();
              }
              return insert.executeBatch().length;
            }
          });
    }
  }
}
