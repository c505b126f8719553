package dev.parley.server.store;

/**
 * A message to append, to a direct pair or to a room. A direct message names its recipient; the
 * store files it under the pair's conversation, creating that on first use. A room message names
 * the room by its key; a membership entry also carries the {@link RoomChange} that the store
 * applies in the same transaction.
 *
 * @param recipientId the other user of a direct message; 0 for a room message
 * @param roomKey the room's key for a room message; null for a direct message
 * @param clientId the sender's request id: a second append with the same sender and client id is
 *     not stored again, the first one's seq and timestamp are returned instead
 * @param text the text, or null for a file message or a membership entry
 * @param file for a file message, the finished file: stored with the message, and its upload
 *     (same id) removed, in the same transaction
 * @param change for a membership entry, what it changes; null otherwise
 */
public record NewMessage(
    long senderId,
    long recipientId,
    String roomKey,
    String clientId,
    String text,
    FileRecord file,
    RoomChange change,
    long createdAtMillis) {

  public NewMessage(long senderId, long recipientId, String clientId, String text, FileRecord file, long createdAtMillis) {
    this(senderId, recipientId, null, clientId, text, file, null, createdAtMillis);
  }

  public static NewMessage text(long senderId, long recipientId, String clientId, String text, long createdAtMillis) {
    return new NewMessage(senderId, recipientId, clientId, text, null, createdAtMillis);
  }

  public boolean isRoom() {
    return roomKey != null;
  }
}
