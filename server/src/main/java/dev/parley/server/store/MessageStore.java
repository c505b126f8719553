package dev.parley.server.store;

import java.util.List;
import java.util.Optional;

/**
 * The message log. Messages belong to conversations (a direct pair or a room); the store assigns
 * each a {@code seq} that strictly increases in commit order, and a number {@code n} counting up
 * without gaps within its conversation. Implementations are thread-safe; {@link #appendAll} is
 * called by one writer at a time.
 */
public interface MessageStore {
  /** How many of a user's newest messages a search of one or two characters reads at most. */
  int SEARCH_SCAN_ROWS = 5_000;

  /**
   * How many of the log's newest messages and entries a client id is recognised among: a retry
   * of a client id stored earlier than that is stored again, as a new message.
   */
  int DUPLICATE_WINDOW = 100_000;

  /**
   * Appends the batch, applies its membership changes, and moves the cursors, in one durable
   * transaction: when this returns, every message in it survives a crash. Results are in the
   * order of {@code messages}. A sender's read cursor moves to their own message.
   *
   * @param deliveries each moves the user's delivery cursor up to at least its seq
   * @param reads each moves a member's read cursor forward to it
   */
  List<AppendResult> appendAll(List<NewMessage> messages, List<Delivery> deliveries, List<ReadMark> reads);

  default List<AppendResult> appendAll(List<NewMessage> messages, List<Delivery> deliveries) {
    return appendAll(messages, deliveries, List.of());
  }

  /**
   * Messages between the two users with {@code seq < beforeSeq}, newest {@code limit}, oldest
   * first, each in its current state; edit and delete entries are left out.
   */
  List<StoredMessage> directHistory(long userId, long otherUserId, long beforeSeq, int limit);

  /** The room's log with {@code seq < beforeSeq}, newest {@code limit}, oldest first; as {@link #directHistory}. */
  List<StoredMessage> roomHistory(long conversationId, long beforeSeq, int limit);

  /**
   * Messages of every conversation the user is or was a member of, while a member, with
   * {@code seq > afterSeq}, oldest first, at most {@code limit}.
   */
  List<StoredMessage> since(long userId, long afterSeq, int limit);

  /**
   * Like {@link #since}, but only others' messages above the user's delivery cursor: what never
   * reached any of their connections.
   */
  List<StoredMessage> undelivered(long userId, long afterSeq, int limit);

  /**
   * Messages the user can see (their conversations, while a member) whose current text or file
   * name contains {@code text}, ignoring case, with {@code seq < beforeSeq}, newest first, at most
   * {@code limit}. Three characters or more search the whole log through an index; fewer read the
   * user's newest {@link #SEARCH_SCAN_ROWS} messages only. Membership, edit and delete entries and
   * deleted messages never match.
   *
   * @param conversationId the one conversation to search, or 0 for all the user's
   */
  List<StoredMessage> search(long userId, long conversationId, String text, long beforeSeq, int limit);

  /**
   * Entries of every conversation with {@code afterSeq < seq <= upToSeq}, oldest first, at most
   * {@code limit}, each with its members: what a node of a cluster missed on the bus.
   */
  List<LogEntry> entries(long afterSeq, long upToSeq, int limit);

  /** The highest seq committed so far, or 0 for an empty log. */
  long newestSeq();

  /** The message or entry with this seq, in its current state. */
  Optional<StoredMessage> message(long seq);

  /**
   * What the sender's message or entry with this client id was stored as, if it is among the
   * log's newest {@link #DUPLICATE_WINDOW}.
   */
  Optional<AppendResult> accepted(long senderId, String clientId);
}
