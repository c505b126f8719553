package dev.parley.server.store;

/** A member has read conversation {@code conversationId} up to its message number {@code n}, seq {@code seq}. */
public record ReadMark(long conversationId, long userId, long n, long seq) {
  /** Whose cursor a mark moves: one per member of a conversation. */
  public record Member(long conversationId, long userId) {}

  public Member member() {
    return new Member(conversationId, userId);
  }
}
