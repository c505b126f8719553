package dev.parley.server.store;

import dev.parley.protocol.NotifyLevel;
import dev.parley.protocol.RoomRole;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the conversations hold, for reading: rooms and their members, a user's conversations
 * with unread counts, read cursors. Writes go through {@link MessageStore#appendAll}, so that they
 * take their place in the log's order, except the few that have none. Thread-safe.
 */
public interface ConversationStore {
  /** A room as committed, with its current members in the order they joined. */
  record Room(long conversationId, String key, String name, boolean open, List<Member> members) {}

  record Member(long userId, String username, RoomRole role) {}

  /** A room the user belongs to, with their role, the member count and their unread count. */
  record RoomSummary(String key, String name, boolean open, RoomRole role, int members, long unread, long lastSeq) {}

  record OpenRoom(String key, String name, int members) {}

  /**
   * A room ({@code roomKey}, {@code name}) or a direct conversation ({@code with}) of the user.
   * {@code lastSeq}: the conversation's newest entry; {@code last}: its newest message (never an
   * edit or delete entry) in its current state; {@code mentions}: messages after the user's read
   * cursor that mention them (rooms; 0 for a direct conversation).
   */
  record Conversation(
      long conversationId,
      String roomKey,
      String name,
      String with,
      long unread,
      long lastSeq,
      StoredMessage last,
      long mentions,
      NotifyLevel notifyLevel) {
    public Conversation withLast(StoredMessage message) {
      return new Conversation(conversationId, roomKey, name, with, unread, lastSeq, message, mentions, notifyLevel);
    }
  }

  /** A read cursor: the newest message read, by its number in the conversation and its seq. */
  record ReadCursor(long n, long seq) {}

  Optional<Room> room(String key);

  List<RoomSummary> roomsOf(long userId);

  List<OpenRoom> openRooms(int limit);

  /** The user's current conversations that have a message, newest activity first. */
  List<Conversation> conversations(long userId);

  OptionalLong directConversation(long userA, long userB);

  OptionalLong roomConversation(String key);

  /** The member's stored read cursor; empty if they are no member. */
  Optional<ReadCursor> readCursor(long conversationId, long userId);

  /** The newest message of the conversation at or below {@code seq}, as a cursor; (0, 0) if none. */
  ReadCursor messageAtOrBefore(long conversationId, long seq);

  /** Up to which seq everything of the user's reached one of their connections (as committed). */
  long deliveredCursor(long userId);

  /**
   * The id of the two users' direct conversation; 0 if there is none and {@code create} is false,
   * else it is created (with no message), as a notification level needs a conversation to belong to.
   */
  long directConversation(long userA, long userB, boolean create);

  /**
   * Sets the member's notification level for the conversation; false if they are no member. Not a
   * log entry: a preference takes no place in the conversation's order, so it is written at once.
   */
  boolean setNotifyLevel(long conversationId, long userId, NotifyLevel level);

  /** The room a stored file was sent to, or empty for a direct file. */
  Optional<String> roomOfFile(String fileId);
}
