package dev.parley.server.store;

import java.util.List;

/**
 * The message log. Messages belong to conversations (a direct pair today, rooms later); the
 * store assigns each a {@code seq} that strictly increases in commit order. Implementations are
 * thread-safe; {@link #appendAll} is called by one writer at a time.
 */
public interface MessageStore {
  /**
   * Appends the batch and the deliveries in one durable transaction: when this returns, every
   * message in it survives a crash. Results are in the order of {@code messages}.
   */
  List<AppendResult> appendAll(List<NewMessage> messages, List<Delivery> deliveries);

  /** Messages between the two users with {@code seq < beforeSeq}, newest {@code limit}, oldest first. */
  List<StoredMessage> directHistory(long userId, long otherUserId, long beforeSeq, int limit);

  /** Messages to or from the user with {@code seq > afterSeq}, oldest first, at most {@code limit}. */
  List<StoredMessage> since(long userId, long afterSeq, int limit);

  /** Messages to the user not yet delivered to any of their connections, with {@code seq > afterSeq}. */
  List<StoredMessage> undelivered(long userId, long afterSeq, int limit);
}
