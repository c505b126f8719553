package dev.parley.server.store.sql;

import dev.parley.server.store.AppendResult;
import dev.parley.server.store.NewMessage;
import dev.parley.server.store.Revision;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Appends edit and delete entries and applies them to the message they point at, in the writer's
 * transaction. An entry takes a seq (so replay carries it) but no number in its conversation, so
 * it never counts as unread; the message keeps its seq and takes its new state.
 */
final class Revisions {
  private final SqlMessageStore store;

  Revisions(SqlMessageStore store) {
    this.store = store;
  }

  /** The caller checked that the target is the sender's own live message. */
  AppendResult append(Connection connection, NewMessage message, SqlMessageStore.Batch batch) throws SQLException {
    AppendResult before = store.storedBefore(message, batch);
    if (before != null) {
      return before;
    }
    Revision revision = message.revision();
    long conversation;
    Long recipient;
    String fileId;
    try (PreparedStatement query =
        connection.prepareStatement("SELECT conversation_id, recipient_id, file_id FROM messages WHERE seq = ?")) {
      query.setLong(1, revision.targetSeq());
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          throw new SQLException("no message " + revision.targetSeq());
        }
        conversation = rows.getLong(1);
        long recipientId = rows.getLong(2);
        recipient = rows.wasNull() ? null : recipientId;
        fileId = rows.getString(3);
      }
    }
    long[] tail = store.tail(connection, conversation, batch);
    Long seq = insertEntry(connection, message, conversation, tail[0], recipient, store.onStoredClientId);
    if (seq == null) {
      return SqlMessageStore.existing(connection, message);
    }
    SqlMessageStore.stored(message, seq, batch);
    tail[1] = seq;
    batch.appendedTo.add(conversation);
    String freed = null;
    if (revision.isDelete()) {
      SqlMessageStore.execute(connection, "UPDATE messages SET body = '', mentions = NULL, deleted_at = ? WHERE seq = ?",
          message.createdAtMillis(), revision.targetSeq());
      SearchIndex.remove(connection, conversation, revision.targetSeq());
      if (fileId != null && freeFile(connection, fileId, message.createdAtMillis())) {
        freed = fileId;
      }
    } else {
      SqlMessageStore.execute(connection, "UPDATE messages SET body = ?, mentions = ?, edited_at = ? WHERE seq = ?",
          revision.text(), MessageRows.mentionsColumn(message.mentions()), message.createdAtMillis(), revision.targetSeq());
      SearchIndex.replace(connection, conversation, revision.targetSeq(), revision.text(), message.mentions());
    }
    return new AppendResult(seq, message.createdAtMillis(), false, freed);
  }

  /** The entry's seq, or null when the sender used its client id before. */
  private static Long insertEntry(Connection connection, NewMessage message, long conversation, long n, Long recipient,
      String onStoredClientId) throws SQLException {
    Revision revision = message.revision();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO messages(conversation_id, n, sender_id, recipient_id, client_id, body, edits, deletes, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)" + onStoredClientId + " RETURNING seq")) {
      insert.setLong(1, conversation);
      insert.setLong(2, n);
      insert.setLong(3, message.senderId());
      insert.setObject(4, recipient, Types.BIGINT);
      insert.setString(5, message.clientId());
      insert.setString(6, revision.isDelete() ? "" : revision.text());
      insert.setObject(7, revision.isDelete() ? null : revision.targetSeq(), Types.BIGINT);
      insert.setObject(8, revision.isDelete() ? revision.targetSeq() : null, Types.BIGINT);
      insert.setLong(9, message.createdAtMillis());
      try (ResultSet rows = insert.executeQuery()) {
        return rows.next() ? rows.getLong(1) : null;
      }
    }
  }

  /** Marks the file deleted once no live message refers to it; returns whether it did. */
  private static boolean freeFile(Connection connection, String fileId, long nowMillis) throws SQLException {
    return SqlMessageStore.execute(connection,
        "UPDATE files SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL "
            + "AND NOT EXISTS (SELECT 1 FROM messages WHERE file_id = ? AND deleted_at IS NULL)",
        nowMillis, fileId, fileId) > 0;
  }
}
