package dev.parley.server.store;

/**
 * A message to append. A direct message names its recipient; the store files it under the
 * pair's conversation, creating that on first use, and puts it in the recipient's inbox until
 * it is delivered.
 *
 * @param clientId the sender's request id: a second append with the same sender and client id is
 *     not stored again, the first one's seq and timestamp are returned instead
 * @param text the text, or null for a file message
 * @param file for a file message, the finished file: stored with the message, and its upload
 *     (same id) removed, in the same transaction
 */
public record NewMessage(
    long senderId, long recipientId, String clientId, String text, FileRecord file, long createdAtMillis) {

  public static NewMessage text(long senderId, long recipientId, String clientId, String text, long createdAtMillis) {
    return new NewMessage(senderId, recipientId, clientId, text, null, createdAtMillis);
  }
}
