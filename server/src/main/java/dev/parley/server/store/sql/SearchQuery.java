package dev.parley.server.store.sql;

import dev.parley.server.store.MessageStore;
import dev.parley.server.store.StoredMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Search over the messages a user can see: those of their conversations while they were a member
 * ({@code joined_seq < seq < left_seq}), newest first. Three characters or more go through the
 * trigram index, walked newest first, each hit checked against the user's membership by primary
 * key. Shorter queries, which a trigram index cannot answer, scan the user's newest
 * {@link MessageStore#SEARCH_SCAN_ROWS} messages at most, so their cost has a bound whatever the
 * size of the log. Thread-safe.
 */
final class SearchQuery {
  /** The fallback reads the user's most recently active conversations, at most this many. */
  static final int SCAN_CONVERSATIONS = 200;

  static final String RANGES_SQL =
      "SELECT cm.conversation_id, cm.joined_seq, coalesce(cm.left_seq, " + Long.MAX_VALUE + "), c.last_seq "
          + "FROM conversation_members cm JOIN conversations c ON c.id = cm.conversation_id "
          + "WHERE cm.user_id = ? AND (? = 0 OR cm.conversation_id = ?) AND c.last_seq > cm.joined_seq";

  private record Range(long conversationId, long after, long before, long lastSeq) {}

  private final SqlDatabase database;

  SearchQuery(SqlDatabase database) {
    this.database = database;
  }

  /** The trigram search on this database: the index's match condition differs between SQLite and PostgreSQL. */
  static String trigramSql(SqlDatabase database) {
    return "SELECT " + MessageRows.COLUMNS + " FROM message_search s JOIN messages m ON m.seq = s.rowid" + MessageRows.JOINS
        + "JOIN conversation_members cm ON cm.conversation_id = m.conversation_id AND cm.user_id = ? "
        + "WHERE " + database.searchMatch() + " AND s.rowid < ? AND m.seq > cm.joined_seq "
        + "AND (cm.left_seq IS NULL OR m.seq < cm.left_seq) AND (? = 0 OR m.conversation_id = ?) "
        + "ORDER BY s.rowid DESC LIMIT ?";
  }

  /** @param conversationId the one conversation to search, or 0 for all of the user's */
  List<StoredMessage> search(long userId, long conversationId, String text, long beforeSeq, int limit) {
    return database.read(connection -> text.codePointCount(0, text.length()) >= 3
        ? trigram(connection, userId, conversationId, text, beforeSeq, limit)
        : scan(connection, userId, conversationId, text, beforeSeq, limit));
  }

  private List<StoredMessage> trigram(
      Connection connection, long userId, long conversationId, String text, long beforeSeq, int limit) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(trigramSql(database))) {
      int parameter = 1;
      query.setLong(parameter++, userId);
      for (String value : database.searchParameters(text)) {
        query.setString(parameter++, value);
      }
      query.setLong(parameter++, beforeSeq);
      query.setLong(parameter++, conversationId);
      query.setLong(parameter++, conversationId);
      query.setInt(parameter, limit);
      return MessageRows.read(query);
    }
  }

  private List<StoredMessage> scan(
      Connection connection, long userId, long conversationId, String text, long beforeSeq, int limit) throws SQLException {
    List<Range> ranges = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement(RANGES_SQL)) {
      query.setLong(1, userId);
      query.setLong(2, conversationId);
      query.setLong(3, conversationId);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          ranges.add(new Range(rows.getLong(1), rows.getLong(2), Math.min(rows.getLong(3), beforeSeq), rows.getLong(4)));
        }
      }
    }
    // One user's conversations, sorted here rather than by SQLite; the most recently active first.
    ranges.sort(Comparator.comparingLong(Range::lastSeq).reversed());
    if (ranges.size() > SCAN_CONVERSATIONS) {
      ranges = ranges.subList(0, SCAN_CONVERSATIONS);
    }
    if (ranges.isEmpty()) {
      return List.of();
    }
    try (PreparedStatement query = connection.prepareStatement(scanSql(ranges.size(), database.caseInsensitiveLike()))) {
      int parameter = 1;
      for (Range range : ranges) {
        query.setLong(parameter++, range.conversationId());
        query.setLong(parameter++, range.after());
        query.setLong(parameter++, range.before());
      }
      query.setString(parameter++, SqlDatabase.containsPattern(text));
      query.setInt(parameter, limit);
      return MessageRows.read(query);
    }
  }

  /**
   * The newest {@link MessageStore#SEARCH_SCAN_ROWS} entries of the given conversation ranges,
   * merged newest first from the {@code (conversation_id, seq)} index, then filtered.
   */
  static String scanSql(int ranges, String like) {
    String arm = "SELECT seq FROM messages WHERE conversation_id = ? AND seq > ? AND seq < ?";
    return "SELECT " + MessageRows.COLUMNS + " FROM ("
        + String.join(" UNION ALL ", Collections.nCopies(ranges, arm))
        + " ORDER BY 1 DESC LIMIT " + MessageStore.SEARCH_SCAN_ROWS + ") AS recent "
        + "JOIN messages m ON m.seq = recent.seq" + MessageRows.JOINS
        + "WHERE " + SearchIndex.SEARCHABLE + " "
        + "AND coalesce(f.name, m.body) " + like + " ? ESCAPE '\\' ORDER BY m.seq DESC LIMIT ?";
  }
}
