package dev.parley.server.store.sql;

import dev.parley.protocol.EventKind;
import dev.parley.server.store.FileRecord;
import dev.parley.server.store.Mention;
import dev.parley.server.store.StoredMessage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** How a message row is selected and read back, shared by the queries that return messages. */
final class MessageRows {
  /** Select from {@code messages m} followed by {@link #JOINS}. */
  static final String COLUMNS =
      "m.seq, sender.username, "
          + "(SELECT username FROM users WHERE id = m.recipient_id), m.body, m.created_at, "
          + "(SELECT room_key FROM conversations WHERE id = m.conversation_id), m.event_kind, "
          + "(SELECT username FROM users WHERE id = m.event_user_id), "
          + "sender.deleted_at IS NOT NULL, "
          + SqlFileStore.FILE_COLUMNS
          + ", m.edits, m.deletes, m.edited_at, m.deleted_at, m.mentions";
  /** The sender's row, read once for both its name and whether the account was deleted, and the file. */
  static final String JOINS = " JOIN users sender ON sender.id = m.sender_id LEFT JOIN files f ON f.id = m.file_id ";

  private MessageRows() {}

  static List<StoredMessage> read(PreparedStatement query) throws SQLException {
    try (ResultSet rows = query.executeQuery()) {
      List<StoredMessage> messages = new ArrayList<>();
      while (rows.next()) {
        messages.add(message(rows));
      }
      return messages;
    }
  }

  /** For queries that walk a conversation newest first: the page, oldest first. */
  static List<StoredMessage> readNewestFirst(PreparedStatement query) throws SQLException {
    List<StoredMessage> messages = read(query);
    Collections.reverse(messages);
    return messages;
  }

  private static StoredMessage message(ResultSet rows) throws SQLException {
    FileRecord file = SqlFileStore.file(rows, 10);
    String kind = rows.getString(7);
    StoredMessage.Event event = null;
    String text = rows.getString(4);
    Long edits = nullableLong(rows, 19);
    Long deletes = nullableLong(rows, 20);
    boolean deleted = nullableLong(rows, 22) != null;
    boolean edited = nullableLong(rows, 21) != null && !deleted;
    String mentions = rows.getString(23);
    if (deleted || deletes != null) {
      text = null;
      file = null;
    } else if (kind != null) {
      EventKind eventKind = EventKind.valueOf(kind.toUpperCase(Locale.ROOT));
      boolean named = eventKind == EventKind.CREATED || eventKind == EventKind.RENAMED;
      event = new StoredMessage.Event(eventKind, rows.getString(8), named ? text : null);
      text = null;
    } else if (file != null) {
      text = null;
    }
    return new StoredMessage(rows.getLong(1), rows.getString(6), rows.getString(2), rows.getBoolean(9), rows.getString(3),
        text, file, event, edits, deletes, edited, deleted, mentions == null ? List.of() : List.of(mentions.split("\n")),
        rows.getLong(5));
  }

  private static Long nullableLong(ResultSet rows, int column) throws SQLException {
    long value = rows.getLong(column);
    return rows.wasNull() ? null : value;
  }

  /** The mentions column: usernames one per line (a username holds no line break), or null for none. */
  static String mentionsColumn(List<Mention> mentions) {
    return mentions.isEmpty() ? null : String.join("\n", mentions.stream().map(Mention::username).toList());
  }

  static String rows(String row, int count) {
    return String.join(", ", Collections.nCopies(count, row));
  }
}
