package dev.parley.server.store;

/** Where an appended message landed; {@code duplicate} when the client id had been used before. */
public record AppendResult(long seq, long createdAtMillis, boolean duplicate) {}
