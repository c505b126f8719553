package dev.parley.server.store.sql;

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
 * One page of a user's replay: the messages of all their conversations after a seq, in seq order.
 * Each conversation is a range of its {@code (conversation_id, seq)} index, and the database
 * merges the ranges (a compound SELECT with ORDER BY runs as a merge of ordered inputs), so a page
 * reads the rows it returns plus one index probe per active conversation: no sort of everything
 * that follows, however long the backlog.
 *
 * <p>A page is two statements, and commits may land between them. Each range therefore ends at
 * its conversation's newest message as the first statement saw it: the page holds only messages
 * committed before that statement began, and since seq order is commit order (appends hold
 * {@link SqlDatabase#lockLog} to their commit), every lower seq had committed then too and is in
 * the page or below it. A reader that resumes after the page's last seq skips nothing. Without
 * the bound, a message committed in between with a higher seq in a conversation already in the
 * ranges would be returned while a lower one in a conversation not yet in them was not.
 * Thread-safe.
 */
final class ReplayQuery {
  /** Conversations merged in one statement; SQLite allows 500 terms in a compound SELECT. */
  private static final int ARMS_PER_STATEMENT = 200;

  static final String RANGES_SQL =
      "SELECT cm.conversation_id, cm.joined_seq, cm.left_seq, c.last_seq FROM conversation_members cm "
          + "JOIN conversations c ON c.id = cm.conversation_id "
          + "WHERE cm.user_id = ? AND c.last_seq > ? AND (cm.left_seq IS NULL OR cm.left_seq > ?)";

  private record Range(long conversationId, long after, long upTo) {}

  private final SqlDatabase database;

  ReplayQuery(SqlDatabase database) {
    this.database = database;
  }

  /**
   * @param undelivered only others' messages above the user's delivery cursor
   */
  List<StoredMessage> page(long userId, long afterSeq, int limit, boolean undelivered) {
    return database.read(
        connection -> {
          long after = undelivered ? Math.max(afterSeq, deliveredCursor(connection, userId)) : afterSeq;
          List<Range> ranges = ranges(connection, userId, after);
          List<StoredMessage> page = new ArrayList<>();
          for (int from = 0; from < ranges.size(); from += ARMS_PER_STATEMENT) {
            List<Range> arms = ranges.subList(from, Math.min(ranges.size(), from + ARMS_PER_STATEMENT));
            page.addAll(merged(connection, arms, undelivered ? userId : 0, limit));
          }
          if (ranges.size() > ARMS_PER_STATEMENT) {
            page.sort(Comparator.comparingLong(StoredMessage::seq));
            return page.size() > limit ? page.subList(0, limit) : page;
          }
          return page;
        });
  }

  /** The user's conversations with a message after {@code after} while they were a member. */
  private static List<Range> ranges(Connection connection, long userId, long after) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(RANGES_SQL)) {
      query.setLong(1, userId);
      query.setLong(2, after);
      query.setLong(3, after);
      try (ResultSet rows = query.executeQuery()) {
        List<Range> ranges = new ArrayList<>();
        while (rows.next()) {
          long leftSeq = rows.getLong(3);
          boolean left = !rows.wasNull();
          long lastSeq = rows.getLong(4);
          ranges.add(new Range(rows.getLong(1), Math.max(after, rows.getLong(2) - 1), left ? Math.min(leftSeq, lastSeq) : lastSeq));
        }
        return ranges;
      }
    }
  }

  /** @param excludedSender a sender whose messages are left out, or 0 */
  private static List<StoredMessage> merged(Connection connection, List<Range> arms, long excludedSender, int limit)
      throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(mergedSql(arms.size(), excludedSender != 0))) {
      int parameter = 1;
      for (Range range : arms) {
        query.setLong(parameter++, range.conversationId());
        query.setLong(parameter++, range.after());
        query.setLong(parameter++, range.upTo());
        if (excludedSender != 0) {
          query.setLong(parameter++, excludedSender);
        }
      }
      query.setInt(parameter, limit);
      return MessageRows.read(query);
    }
  }

  /** The page of {@code arms} conversation ranges merged in seq order. */
  static String mergedSql(int arms, boolean excludingSender) {
    String arm = "SELECT seq FROM messages WHERE conversation_id = ? AND seq > ? AND seq <= ?"
        + (excludingSender ? " AND sender_id <> ?" : "");
    return "SELECT " + MessageRows.COLUMNS + " FROM messages m" + MessageRows.JOINS + "WHERE m.seq IN ("
        + String.join(" UNION ALL ", Collections.nCopies(arms, arm))
        + " ORDER BY 1 LIMIT ?) ORDER BY m.seq";
  }

  static long deliveredCursor(Connection connection, long userId) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT delivered_seq FROM users WHERE id = ?")) {
      query.setLong(1, userId);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? rows.getLong(1) : 0;
      }
    }
  }
}
