package dev.parley.server.store;

/** A member has read conversation {@code conversationId} up to its message number {@code n}, seq {@code seq}. */
public record ReadMark(long conversationId, long userId, long n, long seq) {}
