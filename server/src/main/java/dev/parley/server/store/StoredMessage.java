package dev.parley.server.store;

import dev.parley.protocol.EventKind;

/**
 * A committed message with the names of its ends, as history and replay return it. A direct
 * message has {@code to}, a room message {@code room} (the room's key); of {@code text},
 * {@code file} and {@code event} exactly one is set. {@code fromDeleted}: an admin deleted the
 * sender's account since.
 */
public record StoredMessage(
    long seq, String room, String from, String to, String text, FileRecord file, Event event, long createdAtMillis,
    boolean fromDeleted) {

  /** A membership entry: {@code user} whom it was done to, {@code name} the room's name. */
  public record Event(EventKind kind, String user, String name) {}

  public StoredMessage(long seq, String from, String to, String text, FileRecord file, long createdAtMillis) {
    this(seq, null, from, to, text, file, null, createdAtMillis, false);
  }

  /** A message just sent: its sender exists. */
  public StoredMessage(
      long seq, String room, String from, String to, String text, FileRecord file, Event event, long createdAtMillis) {
    this(seq, room, from, to, text, file, event, createdAtMillis, false);
  }
}
