package dev.parley.server.store.sqlite;

import dev.parley.server.store.AppendResult;
import dev.parley.server.store.Delivery;
import dev.parley.server.store.FileRecord;
import dev.parley.server.store.MessageStore;
import dev.parley.server.store.NewMessage;
import dev.parley.server.store.StoredMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

public final class SqliteMessageStore implements MessageStore {
  private static final String MESSAGE_COLUMNS =
      "m.seq, (SELECT username FROM users WHERE id = m.sender_id), "
          + "(SELECT username FROM users WHERE id = m.recipient_id), m.body, m.created_at, "
          + SqliteFileStore.FILE_COLUMNS;
  private static final String WITH_FILES = " LEFT JOIN files f ON f.id = m.file_id ";

  /** Rows per multi-row statement; 7 parameters a row stays far below SQLite's limit of 32,766. */
  private static final int ROWS_PER_STATEMENT = 64;

  private final SqliteDatabase database;
  /** Direct conversation ids by pair key; filled only after the creating transaction committed. */
  private final Map<String, Long> directConversations = new ConcurrentHashMap<>();

  public SqliteMessageStore(SqliteDatabase database) {
    this.database = database;
  }

  @Override
  public List<AppendResult> appendAll(List<NewMessage> messages, List<Delivery> deliveries) {
    Map<String, Long> created = new HashMap<>();
    List<AppendResult> results =
        database.write(
            connection -> {
              List<AppendResult> appended = new ArrayList<>(messages.size());
              for (int from = 0; from < messages.size(); from += ROWS_PER_STATEMENT) {
                List<NewMessage> chunk = messages.subList(from, Math.min(messages.size(), from + ROWS_PER_STATEMENT));
                appended.addAll(appendChunk(connection, chunk, created));
              }
              for (int from = 0; from < deliveries.size(); from += ROWS_PER_STATEMENT) {
                markDelivered(connection, deliveries.subList(from, Math.min(deliveries.size(), from + ROWS_PER_STATEMENT)));
              }
              return appended;
            });
    directConversations.putAll(created);
    return results;
  }

  /**
   * Appends up to {@link #ROWS_PER_STATEMENT} messages with one multi-row INSERT: the writer
   * thread is the server's bottleneck, and one statement per row spent most of it crossing into
   * SQLite. Rows are inserted in list order, so seqs ascend in list order; RETURNING order is
   * unspecified, so the new rows are matched back by their unique (sender, client id).
   */
  private List<AppendResult> appendChunk(Connection connection, List<NewMessage> chunk, Map<String, Long> created)
      throws SQLException {
    long[] conversations = new long[chunk.size()];
    for (int i = 0; i < chunk.size(); i++) {
      NewMessage message = chunk.get(i);
      conversations[i] = directConversation(connection, message.senderId(), message.recipientId(), created);
      if (message.file() != null) {
        SqliteFileStore.insertFileAndEndUpload(connection, message.file());
      }
    }
    Map<String, Long> inserted = new HashMap<>();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO messages(conversation_id, sender_id, recipient_id, client_id, body, file_id, created_at) VALUES "
                + rows("(?, ?, ?, ?, ?, ?, ?)", chunk.size())
                + " ON CONFLICT(sender_id, client_id) DO NOTHING RETURNING seq, sender_id, client_id")) {
      int parameter = 1;
      for (int i = 0; i < chunk.size(); i++) {
        NewMessage message = chunk.get(i);
        insert.setLong(parameter++, conversations[i]);
        insert.setLong(parameter++, message.senderId());
        insert.setLong(parameter++, message.recipientId());
        insert.setString(parameter++, message.clientId());
        insert.setString(parameter++, message.text() == null ? "" : message.text());
        insert.setString(parameter++, message.file() == null ? null : message.file().id());
        insert.setLong(parameter++, message.createdAtMillis());
      }
      try (ResultSet rows = insert.executeQuery()) {
        while (rows.next()) {
          inserted.put(clientKey(rows.getLong(2), rows.getString(3)), rows.getLong(1));
        }
      }
    }
    List<AppendResult> appended = new ArrayList<>(chunk.size());
    List<Delivery> inbox = new ArrayList<>(chunk.size());
    for (NewMessage message : chunk) {
      // remove, not get: a second message with the same id in this chunk is that one's duplicate.
      Long seq = inserted.remove(clientKey(message.senderId(), message.clientId()));
      if (seq == null) {
        appended.add(existing(connection, message));
        continue;
      }
      if (message.recipientId() != message.senderId()) {
        inbox.add(new Delivery(message.recipientId(), seq));
      }
      appended.add(new AppendResult(seq, message.createdAtMillis(), false));
    }
    if (!inbox.isEmpty()) {
      try (PreparedStatement insert =
          connection.prepareStatement("INSERT INTO inbox(user_id, seq) VALUES " + rows("(?, ?)", inbox.size()))) {
        bindDeliveries(insert, inbox);
        insert.executeUpdate();
      }
    }
    return appended;
  }

  private static AppendResult existing(Connection connection, NewMessage message) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT seq, created_at FROM messages WHERE sender_id = ? AND client_id = ?")) {
      query.setLong(1, message.senderId());
      query.setString(2, message.clientId());
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return new AppendResult(rows.getLong(1), rows.getLong(2), true);
      }
    }
  }

  @Override
  public List<StoredMessage> directHistory(long userId, long otherUserId, long beforeSeq, int limit) {
    return database.read(
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT * FROM (SELECT " + MESSAGE_COLUMNS + " FROM messages m" + WITH_FILES
                      + "WHERE m.conversation_id = (SELECT id FROM conversations WHERE direct_key = ?) AND m.seq < ? "
                      + "ORDER BY m.seq DESC LIMIT ?) ORDER BY 1")) {
            query.setString(1, directKey(userId, otherUserId));
            query.setLong(2, beforeSeq);
            query.setInt(3, limit);
            return messages(query);
          }
        });
  }

  @Override
  public List<StoredMessage> since(long userId, long afterSeq, int limit) {
    return userPage(
        "SELECT " + MESSAGE_COLUMNS + " FROM messages m" + WITH_FILES + "WHERE m.conversation_id IN "
            + "(SELECT conversation_id FROM conversation_members WHERE user_id = ?) AND m.seq > ? "
            + "ORDER BY m.seq LIMIT ?",
        userId, afterSeq, limit);
  }

  @Override
  public List<StoredMessage> undelivered(long userId, long afterSeq, int limit) {
    return userPage(
        "SELECT " + MESSAGE_COLUMNS + " FROM inbox i JOIN messages m ON m.seq = i.seq" + WITH_FILES
            + "WHERE i.user_id = ? AND i.seq > ? ORDER BY i.seq LIMIT ?",
        userId, afterSeq, limit);
  }

  /** Runs a query whose three parameters are a user, a seq to start after, and a page size. */
  private List<StoredMessage> userPage(String sql, long userId, long afterSeq, int limit) {
    return database.read(
        connection -> {
          try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setLong(1, userId);
            query.setLong(2, afterSeq);
            query.setInt(3, limit);
            return messages(query);
          }
        });
  }

  private long directConversation(Connection connection, long userA, long userB, Map<String, Long> created)
      throws SQLException {
    String key = directKey(userA, userB);
    Long known = directConversations.get(key);
    if (known == null) {
      known = created.get(key);
    }
    if (known != null) {
      return known;
    }
    long id;
    try (PreparedStatement upsert =
        connection.prepareStatement(
            "INSERT INTO conversations(kind, direct_key) VALUES ('direct', ?) "
                + "ON CONFLICT(direct_key) DO UPDATE SET kind = kind RETURNING id")) {
      upsert.setString(1, key);
      try (ResultSet rows = upsert.executeQuery()) {
        rows.next();
        id = rows.getLong(1);
      }
    }
    try (PreparedStatement member =
        connection.prepareStatement(
            "INSERT OR IGNORE INTO conversation_members(conversation_id, user_id) VALUES (?, ?)")) {
      for (long user : new long[] {userA, userB}) {
        member.setLong(1, id);
        member.setLong(2, user);
        member.executeUpdate();
      }
    }
    created.put(key, id);
    return id;
  }

  private static void markDelivered(Connection connection, List<Delivery> deliveries) throws SQLException {
    if (deliveries.isEmpty()) {
      return;
    }
    try (PreparedStatement delete =
        connection.prepareStatement(
            "DELETE FROM inbox WHERE (user_id, seq) IN (VALUES " + rows("(?, ?)", deliveries.size()) + ")")) {
      bindDeliveries(delete, deliveries);
      delete.executeUpdate();
    }
  }

  private static void bindDeliveries(PreparedStatement statement, List<Delivery> deliveries) throws SQLException {
    int parameter = 1;
    for (Delivery delivery : deliveries) {
      statement.setLong(parameter++, delivery.userId());
      statement.setLong(parameter++, delivery.seq());
    }
  }

  private static String rows(String row, int count) {
    return String.join(", ", Collections.nCopies(count, row));
  }

  private static String clientKey(long senderId, String clientId) {
    return senderId + ":" + clientId;
  }

  private static String directKey(long userA, long userB) {
    return Math.min(userA, userB) + ":" + Math.max(userA, userB);
  }

  private static List<StoredMessage> messages(PreparedStatement query) throws SQLException {
    try (ResultSet rows = query.executeQuery()) {
      List<StoredMessage> messages = new ArrayList<>();
      while (rows.next()) {
        FileRecord file = SqliteFileStore.file(rows, 6);
        messages.add(
            new StoredMessage(
                rows.getLong(1), rows.getString(2), rows.getString(3), file == null ? rows.getString(4) : null, file, rows.getLong(5)));
      }
      return messages;
    }
  }
}
