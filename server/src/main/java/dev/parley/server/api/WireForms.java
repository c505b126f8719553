package dev.parley.server.api;

import dev.parley.protocol.ServerFrame;
import dev.parley.server.chat.MessageFrames;
import dev.parley.server.presence.DirectoryEntry;
import dev.parley.server.store.StoredMessage;
import java.util.List;

/** What services return, as the frames and REST bodies put it on the wire. */
final class WireForms {
  private WireForms() {}

  static List<ServerFrame.Message> messages(List<StoredMessage> messages) {
    return messages.stream().map(MessageFrames::message).toList();
  }

  static List<ServerFrame.UserEntry> users(List<DirectoryEntry> entries) {
    return entries.stream().map(entry -> new ServerFrame.UserEntry(entry.username(), entry.online())).toList();
  }
}
