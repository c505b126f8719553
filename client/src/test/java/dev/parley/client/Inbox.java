package dev.parley.client;

import dev.parley.protocol.ServerFrame;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What one connection's listener saw, in order: pass {@code frames::add} as the listener. */
final class Inbox {
  final List<ServerFrame> frames = new CopyOnWriteArrayList<>();

  <T extends ServerFrame> List<T> all(Class<T> type) {
    return frames.stream().filter(type::isInstance).map(type::cast).toList();
  }

  List<ServerFrame.Message> messages() {
    return all(ServerFrame.Message.class);
  }

  List<String> texts() {
    return messages().stream().map(ServerFrame.Message::text).toList();
  }

  List<ServerFrame.Message> roomMessages(String room) {
    return messages().stream().filter(m -> room.equals(m.room())).toList();
  }
}
