package dev.parley.server.store;

import java.util.List;

/**
 * A message to append, to a direct pair or to a room. A direct message names its recipient; the
 * store files it under the pair's conversation, creating that on first use. A room message names
 * the room by its key; a membership entry also carries the {@link RoomChange} that the store
 * applies in the same transaction.
 *
 * @param recipientId the other user of a direct message; 0 for a room message
 * @param roomKey the room's key for a room message; null for a direct message
 * @param clientId the sender's request id: a second append with the same sender and client id,
 *     while the first is among the log's newest {@link MessageStore#DUPLICATE_WINDOW}, is not stored
 *     again, the first one's seq and timestamp are returned instead
 * @param text the text, or null for a file message or a membership entry
 * @param file for a file message, the finished file: stored with the message, and its upload
 *     (same id) removed, in the same transaction
 * @param change for a membership entry, what it changes; null otherwise
 * @param revision for an edit or delete entry, what it does to which message; null otherwise. The
 *     entry joins the target's conversation; its text is the edit's new text
 * @param mentions the members a room message (or an edit's new text) mentions
 */
public record NewMessage(
    long senderId,
    long recipientId,
    String roomKey,
    String clientId,
    String text,
    FileRecord file,
    RoomChange change,
    Revision revision,
    List<Mention> mentions,
    long createdAtMillis) {

  public NewMessage {
    mentions = List.copyOf(mentions);
  }

  public NewMessage(
      long senderId, long recipientId, String roomKey, String clientId, String text, FileRecord file, RoomChange change,
      long createdAtMillis) {
    this(senderId, recipientId, roomKey, clientId, text, file, change, null, List.of(), createdAtMillis);
  }

  public NewMessage(long senderId, long recipientId, String clientId, String text, FileRecord file, long createdAtMillis) {
    this(senderId, recipientId, null, clientId, text, file, null, createdAtMillis);
  }

  /** An edit or delete entry of {@code senderId}'s message. */
  public static NewMessage revision(long senderId, String clientId, Revision revision, List<Mention> mentions, long createdAtMillis) {
    return new NewMessage(senderId, 0, null, clientId, revision.text(), null, null, revision, mentions, createdAtMillis);
  }

  public static NewMessage text(long senderId, long recipientId, String clientId, String text, long createdAtMillis) {
    return new NewMessage(senderId, recipientId, clientId, text, null, createdAtMillis);
  }

  public boolean isRoom() {
    return roomKey != null;
  }
}
