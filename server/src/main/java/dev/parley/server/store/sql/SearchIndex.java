package dev.parley.server.store.sql;

import dev.parley.server.store.Mention;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the search index ({@code message_search}) and the mentions ({@code message_mentions}) in
 * step with the log. Mentions, and on PostgreSQL the search index, are written inside the
 * writer's transaction; on SQLite new messages are indexed behind it by {@link SearchFollower}.
 * An edit or delete changes the index in its own commit when the index holds the message.
 */
final class SearchIndex {
  /**
   * Which rows of {@code messages m} search finds: text and file messages in their current state,
   * not room entries, edits or deletes (their targets carry the text), nor deleted messages.
   */
  static final String SEARCHABLE = "m.event_kind IS NULL AND m.edits IS NULL AND m.deletes IS NULL AND m.deleted_at IS NULL";

  private SearchIndex() {}

  /** The searchable text of a batch of new messages, inserted with one statement. */
  static final class Rows {
    private final List<Long> seqs;
    private final List<String> texts;

    Rows(int capacity) {
      seqs = new ArrayList<>(capacity);
      texts = new ArrayList<>(capacity);
    }

    void add(long seq, String text) {
      seqs.add(seq);
      texts.add(text);
    }

    void insert(Connection connection) throws SQLException {
      if (seqs.isEmpty()) {
        return;
      }
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO message_search(rowid, body) VALUES " + MessageRows.rows("(?, ?)", seqs.size()))) {
        for (int i = 0; i < seqs.size(); i++) {
          insert.setLong(2 * i + 1, seqs.get(i));
          insert.setString(2 * i + 2, texts.get(i));
        }
        insert.executeUpdate();
      }
    }
  }

  static void mention(Connection connection, long conversation, long seq, List<Mention> mentions) throws SQLException {
    if (mentions.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO message_mentions(conversation_id, user_id, seq) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
      for (Mention mention : mentions) {
        insert.setLong(1, conversation);
        insert.setLong(2, mention.userId());
        insert.setLong(3, seq);
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /**
   * The message's text is now {@code text}, and it mentions {@code mentions}. The index is changed
   * only if it holds the message: one the follower has not reached yet, it indexes as it is then.
   */
  static void replace(Connection connection, long conversation, long seq, String text, List<Mention> mentions)
      throws SQLException {
    boolean indexed = holds(connection, seq);
    remove(connection, conversation, seq);
    if (indexed) {
      Rows row = new Rows(1);
      row.add(seq, text);
      row.insert(connection);
    }
    mention(connection, conversation, seq, mentions);
  }

  private static boolean holds(Connection connection, long seq) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM message_search WHERE rowid = ?")) {
      query.setLong(1, seq);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  /** The message no longer matches any search nor counts as a mention. */
  static void remove(Connection connection, long conversation, long seq) throws SQLException {
    if (holds(connection, seq)) {
      try (PreparedStatement delete = connection.prepareStatement("DELETE FROM message_search WHERE rowid = ?")) {
        delete.setLong(1, seq);
        delete.executeUpdate();
      }
    }
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM message_mentions WHERE conversation_id = ? AND seq = ?")) {
      delete.setLong(1, conversation);
      delete.setLong(2, seq);
      delete.executeUpdate();
    }
  }
}
