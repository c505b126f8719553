package dev.parley.server.api;

import dev.parley.protocol.ServerFrame;
import dev.parley.server.chat.MessageFrames;
import dev.parley.server.presence.DirectoryEntry;
import dev.parley.server.store.ConversationStore;
import dev.parley.server.store.StoredMessage;
import java.util.List;

/** What services return, as the frames and REST bodies put it on the wire. */
final class WireForms {
  private WireForms() {}

  static List<ServerFrame.Message> messages(List<StoredMessage> messages) {
    return messages.stream().map(MessageFrames::message).toList();
  }

  static List<ServerFrame.RoomSummary> rooms(List<ConversationStore.RoomSummary> rooms) {
    return rooms.stream()
        .map(r -> new ServerFrame.RoomSummary(r.key(), r.name(), r.open(), r.role(), r.members(), r.unread(), r.lastSeq()))
        .toList();
  }

  static List<ServerFrame.DirectoryEntry> directory(List<ConversationStore.OpenRoom> rooms) {
    return rooms.stream().map(r -> new ServerFrame.DirectoryEntry(r.key(), r.name(), r.members())).toList();
  }

  static List<ServerFrame.Conversation> conversations(List<ConversationStore.Conversation> conversations) {
    return conversations.stream()
        .map(c -> new ServerFrame.Conversation(c.roomKey(), c.with(), c.name(), c.unread(), c.lastSeq(),
            c.last() == null ? null : MessageFrames.message(c.last()), c.roomKey() != null ? c.mentions() : null, c.notifyLevel()))
        .toList();
  }

  static List<ServerFrame.UserEntry> users(List<DirectoryEntry> entries) {
    return entries.stream().map(entry -> new ServerFrame.UserEntry(entry.username(), entry.online())).toList();
  }
}
