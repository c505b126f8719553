package dev.parley.server.chat;

import dev.parley.protocol.ServerFrame;
import dev.parley.server.store.FileRecord;
import dev.parley.server.store.StoredMessage;

/**
 * The wire form of a stored message. Live delivery and replay hand sessions this frame rather than
 * the domain record: one message fans out to every session of both ends, so it is built once, at
 * the delivery edge, and the same object is queued to each connection. History replies use the
 * same mapping, so a message reads alike however it reaches a client.
 */
public final class MessageFrames {
  private MessageFrames() {}

  public static ServerFrame.Message message(StoredMessage stored) {
    return new ServerFrame.Message(
        stored.seq(), stored.room(), stored.from(), stored.fromDeleted() ? true : null, stored.to(), stored.edits(),
        stored.deletes(), stored.text(), fileRef(stored.file()), event(stored.event()), stored.edited() ? true : null,
        stored.deleted() ? true : null, stored.mentions(), stored.createdAtMillis());
  }

  private static ServerFrame.Event event(StoredMessage.Event event) {
    return event == null ? null : new ServerFrame.Event(event.kind(), event.user(), event.name());
  }

  private static ServerFrame.FileRef fileRef(FileRecord file) {
    return file == null
        ? null
        : new ServerFrame.FileRef(file.id(), file.name(), file.size(), file.sha256(), file.type(), file.deleted() ? true : null);
  }
}
