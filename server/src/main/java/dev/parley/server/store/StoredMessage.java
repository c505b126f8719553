package dev.parley.server.store;

/** A committed message with the names of both ends, as history and replay return it. */
public record StoredMessage(long seq, String from, String to, String text, long createdAtMillis) {}
