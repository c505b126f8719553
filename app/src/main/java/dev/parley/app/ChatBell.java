package dev.parley.app;

import dev.parley.protocol.NotifyLevel;
import dev.parley.protocol.ServerFrame;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * When a chat rings the terminal's bell: for someone else's direct message or a mention of the
 * user, as the conversation's notification level (kept on the server, so every device agrees)
 * allows: {@code all} rings for both, {@code mentions} for mentions only, {@code none} never. A
 * room's other messages never ring: a busy room would ring all day. Never for the user's own
 * lines, edits, deletes or membership entries. Thread-safe.
 */
final class ChatBell {
  private final String me;
  private final ChatRenderer renderer;
  private final ChatSession.Screen screen;
  /** The user's level per conversation, as the server has it; absent means {@code all}, the server's default. */
  private final Map<ChatSession.Target, NotifyLevel> levels = new ConcurrentHashMap<>();

  ChatBell(String me, ChatRenderer renderer, ChatSession.Screen screen) {
    this.me = me;
    this.renderer = renderer;
    this.screen = screen;
  }

  /** What the server says the level of a conversation is (its list, or a change from another device). */
  void levelIs(ChatSession.Target in, NotifyLevel level) {
    levels.put(in, level);
  }

  /** Rings for a message just shown, if it should. */
  void ringIfWanted(ServerFrame.Message message) {
    if (message.from().equals(me) || message.isEntry() || message.event() != null) {
      return;
    }
    ChatSession.Target in = message.room() != null ? new ChatSession.Target(null, message.room()) : new ChatSession.Target(message.from(), null);
    NotifyLevel level = levels.getOrDefault(in, NotifyLevel.ALL);
    boolean mentioned = ChatRenderer.mentions(message, me);
    if (message.room() == null && level == NotifyLevel.ALL || mentioned && level != NotifyLevel.NONE) {
      screen.bell();
    }
  }

  /**
   * {@code /notify}: shows the conversation's level (null {@code level}), or has {@code server} set
   * it and says what it now means.
   */
  void setLevel(ChatSession.Target in, NotifyLevel level, UnaryOperator<NotifyLevel> server) {
    NotifyLevel now = level == null ? levels.getOrDefault(in, NotifyLevel.ALL) : server.apply(level);
    levels.put(in, now);
    screen.show(renderer.notice("notify " + now.wireName() + switch (now) {
      case ALL -> ": the bell rings for every direct message and every @mention of you here";
      case MENTIONS -> ": the bell rings only for an @mention of you here";
      case NONE -> ": the bell never rings here";
    }));
  }
}
