package dev.parley.app;

import dev.parley.protocol.ServerFrame;

/** A room's membership entry in words, as history and the chat show it: {@code bob joined}. Stateless. */
final class MembershipText {
  private MembershipText() {}

  /** The entry of {@code message}, which must carry an {@code event}; raw text, not yet made visible. */
  static String of(ServerFrame.Message message) {
    ServerFrame.Event event = message.event();
    String who = message.from();
    return switch (event.kind()) {
      case CREATED -> who + " created the room " + RoomNames.label(event.name());
      case JOINED -> who + " joined";
      case LEFT -> who + " left";
      case ADDED -> who + " added " + event.user();
      case REMOVED -> who + " removed " + event.user();
      case RENAMED -> who + " renamed the room to " + RoomNames.label(event.name());
    };
  }
}
