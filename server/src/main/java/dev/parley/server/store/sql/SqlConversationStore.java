package dev.parley.server.store.sql;

import dev.parley.protocol.NotifyLevel;
import dev.parley.protocol.RoomRole;
import dev.parley.server.store.ConversationStore;
import dev.parley.server.store.StoredMessage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads of rooms, conversations and cursors. Every query starts from an index on the user or the
 * conversation and reads what it returns; the few lists sorted are sorted here, not by the database,
 * since they are one user's or one room's.
 */
public final class SqlConversationStore implements ConversationStore {
  private static final String MEMBER_COUNT =
      "(SELECT count(*) FROM conversation_members x WHERE x.conversation_id = c.id AND x.left_seq IS NULL)";
  /**
   * Others' messages after the member's read cursor that are not deleted. The counter tells how many
   * came after the cursor (the member's own advance it); the deleted ones among them are subtracted,
   * one range of the deleted_messages index, so the count never reads the messages themselves.
   */
  private static final String UNREAD =
      "c.last_n - cm.read_n - (SELECT count(*) FROM messages d WHERE d.conversation_id = c.id AND d.n > cm.read_n "
          + "AND d.deleted_at IS NOT NULL)";
  static final String ROOMS_OF_SQL =
      "SELECT c.room_key, c.name, c.open, cm.role, " + MEMBER_COUNT + ", " + UNREAD + ", c.last_seq "
          + "FROM conversation_members cm JOIN conversations c ON c.id = cm.conversation_id "
          + "WHERE cm.user_id = ? AND cm.left_seq IS NULL AND c.room_key IS NOT NULL";
  static final String CONVERSATIONS_SQL =
      "SELECT c.id, c.room_key, c.name, " + UNREAD + ", c.last_seq, CASE WHEN c.room_key IS NULL THEN "
          + "coalesce((SELECT u.username FROM conversation_members o JOIN users u ON u.id = o.user_id "
          + "WHERE o.conversation_id = c.id AND o.user_id <> cm.user_id), (SELECT username FROM users WHERE id = cm.user_id)) END "
          + ", CASE WHEN c.room_key IS NOT NULL THEN (SELECT count(*) FROM message_mentions mm "
          + "WHERE mm.conversation_id = c.id AND mm.user_id = cm.user_id AND mm.seq > cm.read_seq) END, cm.notify, "
          // The newest message, not an edit or delete entry: a walk back on the conversation's index.
          + "(SELECT x.seq FROM messages x WHERE x.conversation_id = c.id AND x.edits IS NULL AND x.deletes IS NULL "
          + "ORDER BY x.seq DESC LIMIT 1) "
          + "FROM conversation_members cm JOIN conversations c ON c.id = cm.conversation_id "
          + "WHERE cm.user_id = ? AND cm.left_seq IS NULL AND c.last_seq > 0";
  static final String MESSAGE_AT_OR_BEFORE_SQL =
      "SELECT n, seq FROM messages WHERE conversation_id = ? AND seq <= ? ORDER BY seq DESC LIMIT 1";
  static final String READ_CURSOR_SQL =
      "SELECT read_n, read_seq FROM conversation_members WHERE conversation_id = ? AND user_id = ? AND left_seq IS NULL";
  static final String LAST_MESSAGE_SQL =
      "SELECT " + MessageRows.COLUMNS + " FROM messages m" + MessageRows.JOINS + "WHERE m.seq IN (";
  /** Last messages fetched per statement. */
  private static final int SEQS_PER_STATEMENT = 500;

  private final SqlDatabase database;

  public SqlConversationStore(SqlDatabase database) {
    this.database = database;
  }

  @Override
  public Optional<Room> room(String key) {
    return database.read(
        connection -> {
          long id;
          String name;
          boolean open;
          try (PreparedStatement query = connection.prepareStatement("SELECT id, name, open FROM conversations WHERE room_key = ?")) {
            query.setString(1, key);
            try (ResultSet rows = query.executeQuery()) {
              if (!rows.next()) {
                return Optional.empty();
              }
              id = rows.getLong(1);
              name = rows.getString(2);
              open = rows.getInt(3) == 1;
            }
          }
          record Joined(long joinedSeq, Member member) {}
          List<Joined> members = new ArrayList<>();
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT cm.user_id, u.username, cm.role, cm.joined_seq FROM conversation_members cm "
                      + "JOIN users u ON u.id = cm.user_id WHERE cm.conversation_id = ? AND cm.left_seq IS NULL")) {
            query.setLong(1, id);
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                members.add(new Joined(rows.getLong(4), new Member(rows.getLong(1), rows.getString(2), role(rows.getString(3)))));
              }
            }
          }
          members.sort(Comparator.comparingLong(Joined::joinedSeq));
          return Optional.of(new Room(id, key, name, open, members.stream().map(Joined::member).toList()));
        });
  }

  @Override
  public List<RoomSummary> roomsOf(long userId) {
    return database.read(
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement(ROOMS_OF_SQL)) {
            query.setLong(1, userId);
            List<RoomSummary> rooms = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                rooms.add(new RoomSummary(rows.getString(1), rows.getString(2), rows.getInt(3) == 1, role(rows.getString(4)),
                    rows.getInt(5), rows.getLong(6), rows.getLong(7)));
              }
            }
            rooms.sort(Comparator.comparingLong(RoomSummary::lastSeq).reversed());
            return rooms;
          }
        });
  }

  @Override
  public List<OpenRoom> openRooms(int limit) {
    return database.read(
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement("SELECT c.room_key, c.name, " + MEMBER_COUNT + " FROM conversations c WHERE c.open = 1")) {
            List<OpenRoom> rooms = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                if (rows.getInt(3) > 0) {
                  rooms.add(new OpenRoom(rows.getString(1), rows.getString(2), rows.getInt(3)));
                }
              }
            }
            rooms.sort(Comparator.comparingInt(OpenRoom::members).reversed().thenComparing(OpenRoom::name));
            return rooms.size() > limit ? rooms.subList(0, limit) : rooms;
          }
        });
  }

  @Override
  public List<Conversation> conversations(long userId) {
    return database.read(
        connection -> {
          record Found(Conversation conversation, long lastMessageSeq) {}
          List<Found> found = new ArrayList<>();
          try (PreparedStatement query =
              connection.prepareStatement(CONVERSATIONS_SQL)) {
            query.setLong(1, userId);
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                found.add(new Found(new Conversation(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(6),
                    rows.getLong(4), rows.getLong(5), null, rows.getLong(7), notifyLevel(rows.getString(8))), rows.getLong(9)));
              }
            }
          }
          Map<Long, StoredMessage> last = new HashMap<>();
          for (int from = 0; from < found.size(); from += SEQS_PER_STATEMENT) {
            List<Found> chunk = found.subList(from, Math.min(found.size(), from + SEQS_PER_STATEMENT));
            try (PreparedStatement query =
                connection.prepareStatement(LAST_MESSAGE_SQL + MessageRows.rows("?", chunk.size()) + ")")) {
              for (int i = 0; i < chunk.size(); i++) {
                query.setLong(i + 1, chunk.get(i).lastMessageSeq());
              }
              MessageRows.read(query).forEach(message -> last.put(message.seq(), message));
            }
          }
          return found.stream()
              .map(f -> f.conversation().withLast(last.get(f.lastMessageSeq())))
              .sorted(Comparator.comparingLong(Conversation::lastSeq).reversed())
              .toList();
        });
  }

  @Override
  public OptionalLong directConversation(long userA, long userB) {
    return conversationId("direct_key", SqlMessageStore.directKey(userA, userB));
  }

  @Override
  public OptionalLong roomConversation(String key) {
    return conversationId("room_key", key);
  }

  @Override
  public Optional<ReadCursor> readCursor(long conversationId, long userId) {
    return database.read(
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement(READ_CURSOR_SQL)) {
            query.setLong(1, conversationId);
            query.setLong(2, userId);
            try (ResultSet rows = query.executeQuery()) {
              return rows.next() ? Optional.of(new ReadCursor(rows.getLong(1), rows.getLong(2))) : Optional.empty();
            }
          }
        });
  }

  @Override
  public ReadCursor messageAtOrBefore(long conversationId, long seq) {
    return database.read(
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement(MESSAGE_AT_OR_BEFORE_SQL)) {
            query.setLong(1, conversationId);
            query.setLong(2, seq);
            try (ResultSet rows = query.executeQuery()) {
              return rows.next() ? new ReadCursor(rows.getLong(1), rows.getLong(2)) : new ReadCursor(0, 0);
            }
          }
        });
  }

  @Override
  public long deliveredCursor(long userId) {
    return database.read(connection -> ReplayQuery.deliveredCursor(connection, userId));
  }

  @Override
  public Optional<String> roomOfFile(String fileId) {
    return database.read(
        connection -> {
          try (PreparedStatement query = connection.prepareStatement("SELECT room_key FROM files WHERE id = ?")) {
            query.setString(1, fileId);
            try (ResultSet rows = query.executeQuery()) {
              return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public long directConversation(long userA, long userB, boolean create) {
    String key = SqlMessageStore.directKey(userA, userB);
    if (!create) {
      return conversationId("direct_key", key).orElse(0);
    }
    return database.write(connection -> SqlMessageStore.createDirect(connection, key, userA, userB));
  }

  @Override
  public boolean setNotifyLevel(long conversationId, long userId, NotifyLevel level) {
    return database.update(
        "UPDATE conversation_members SET notify = ? WHERE conversation_id = ? AND user_id = ?",
        level == NotifyLevel.ALL ? null : level.wireName(), conversationId, userId) > 0;
  }

  private static NotifyLevel notifyLevel(String stored) {
    return stored == null ? NotifyLevel.ALL : NotifyLevel.fromWireName(stored);
  }

  /** @param keyColumn a column of conversations with a unique index, never input */
  private OptionalLong conversationId(String keyColumn, String key) {
    return database.read(
        connection -> {
          try (PreparedStatement query = connection.prepareStatement("SELECT id FROM conversations WHERE " + keyColumn + " = ?")) {
            query.setString(1, key);
            try (ResultSet rows = query.executeQuery()) {
              return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
            }
          }
        });
  }

  private static RoomRole role(String role) {
    return role == null ? RoomRole.MEMBER : RoomRole.valueOf(role.toUpperCase(Locale.ROOT));
  }
}
