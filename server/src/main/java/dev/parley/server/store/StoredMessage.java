package dev.parley.server.store;

/** A committed message with the names of both ends, as history and replay return it; {@code file} or {@code text} is null. */
public record StoredMessage(long seq, String from, String to, String text, FileRecord file, long createdAtMillis) {}
