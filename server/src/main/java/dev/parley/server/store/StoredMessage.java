package dev.parley.server.store;

import dev.parley.protocol.EventKind;
import java.util.List;

/**
 * A committed message with the names of its ends, as history and replay return it. A direct
 * message has {@code to}, a room message {@code room} (the room's key); of {@code text},
 * {@code file} and {@code event} at most one is set. {@code fromDeleted}: an admin deleted the
 * sender's account since.
 *
 * <p>An edit entry has {@code edits} (the seq it changes) and its text, a delete entry
 * {@code deletes} and nothing else. A message that was edited has {@code edited} and its current
 * text; one that was deleted has {@code deleted} and neither text nor file. {@code mentions}: the
 * usernames a room message mentions, empty when none.
 */
public record StoredMessage(
    long seq,
    String room,
    String from,
    boolean fromDeleted,
    String to,
    String text,
    FileRecord file,
    Event event,
    Long edits,
    Long deletes,
    boolean edited,
    boolean deleted,
    List<String> mentions,
    long createdAtMillis) {

  /** A membership entry: {@code user} whom it was done to, {@code name} the room's name. */
  public record Event(EventKind kind, String user, String name) {}

  public StoredMessage {
    mentions = List.copyOf(mentions);
  }

  public StoredMessage(
      long seq, String room, String from, String to, String text, FileRecord file, Event event, long createdAtMillis) {
    this(seq, room, from, false, to, text, file, event, null, null, false, false, List.of(), createdAtMillis);
  }

  public StoredMessage(long seq, String from, String to, String text, FileRecord file, long createdAtMillis) {
    this(seq, null, from, to, text, file, null, createdAtMillis);
  }


  /** An edit or delete entry rather than a message. */
  public boolean isRevision() {
    return edits != null || deletes != null;
  }
}
