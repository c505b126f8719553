package dev.parley.app;

import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyConnection;
import dev.parley.protocol.ServerFrame;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code /edit} and {@code /delete} in a chat: finds the user's message (the one a {@code #SEQ}
 * names, or their last one in the conversation) in the server's history, asks before deleting,
 * and shows the new edit or delete entry once the server has stored it. The lookups wait for the
 * server, so they run on the prompt's thread; so do {@link #askToDelete} and {@link #answer}.
 */
final class ChatEdits {
  /** How far back {@code /edit} and {@code /delete} without a seq look for the user's last message. */
  static final int LAST_OWN_SCAN = 100;
  /** How much of a message the delete question quotes. */
  private static final int PREVIEW_CODE_POINTS = 60;

  /** A delete waiting for the user's yes. */
  record PendingDelete(ChatSession.Target in, long seq) {}

  private final ParleyClient client;
  private final SavedLogin login;
  private final ChatRenderer renderer;
  private final ChatSession.Screen screen;
  private final Supplier<ParleyConnection> connection;
  private final Set<Long> shownSeqs;
  private final Function<ChatSession.Target, String> roomLabel;
  private volatile PendingDelete pending;

  /**
   * @param shownSeqs seqs already shown, shared with the chat, so that an entry shown here on its
   *     ack is not shown again when it comes back in a catch-up
   * @param roomLabel a conversation's room label ({@code #lab}), null for a direct one
   */
  ChatEdits(ParleyClient client, SavedLogin login, ChatRenderer renderer, ChatSession.Screen screen,
      Supplier<ParleyConnection> connection, Set<Long> shownSeqs, Function<ChatSession.Target, String> roomLabel) {
    this.client = client;
    this.login = login;
    this.renderer = renderer;
    this.screen = screen;
    this.connection = connection;
    this.shownSeqs = shownSeqs;
    this.roomLabel = roomLabel;
  }

  /** The delete waiting for a yes, or null. */
  PendingDelete pending() {
    return pending;
  }

  /** {@code /edit [#SEQ] TEXT} in conversation {@code in}. */
  void edit(ChatSession.Target in, Long seq, String text) {
    ServerFrame.Message original = ownMessage(in, seq);
    if (original == null) {
      return;
    }
    if (original.file() != null) {
      screen.show(renderer.error("#" + original.seq() + " is a file: a file message has no text to edit (/delete removes it)"));
      return;
    }
    ParleyConnection open = connected();
    if (open == null) {
      return;
    }
    open.edit(UUID.randomUUID().toString(), original.seq(), text).whenComplete((ack, failure) -> {
      if (failure != null) {
        screen.show(renderer.error("not edited: " + ChatSession.describe(failure)));
      } else {
        showEntry(in, new ServerFrame.Message(ack.seq(), in.room(), login.username(), null, in.user(), original.seq(), null, text, null,
            null, null, null, null, ack.ts()));
      }
    });
  }

  /** {@code /delete [#SEQ]} in conversation {@code in}: asks first; {@link #answer} gets the reply. */
  void askToDelete(ChatSession.Target in, Long seq) {
    ServerFrame.Message message = ownMessage(in, seq);
    if (message != null) {
      pending = new PendingDelete(in, message.seq());
      screen.show(renderer.notice("delete your message #" + message.seq() + " " + preview(message) + "? y deletes it, anything else keeps it"));
    }
  }

  /** The reply to the delete question: {@code y} or {@code yes} deletes. */
  void answer(String reply) {
    PendingDelete asked = pending;
    pending = null;
    if (asked == null) {
      return;
    }
    String answer = reply.strip();
    if (!answer.equalsIgnoreCase("y") && !answer.equalsIgnoreCase("yes")) {
      screen.show(renderer.notice("kept #" + asked.seq()));
      return;
    }
    ParleyConnection open = connected();
    if (open == null) {
      return;
    }
    ChatSession.Target in = asked.in();
    open.delete(UUID.randomUUID().toString(), asked.seq()).whenComplete((ack, failure) -> {
      if (failure != null) {
        screen.show(renderer.error("not deleted: " + ChatSession.describe(failure)));
      } else {
        showEntry(in, new ServerFrame.Message(ack.seq(), in.room(), login.username(), null, in.user(), null, asked.seq(), null, null,
            null, null, null, null, ack.ts()));
      }
    });
  }

  private void showEntry(ChatSession.Target in, ServerFrame.Message entry) {
    if (shownSeqs.add(entry.seq())) {
      screen.show(renderer.message(entry, login.username(), roomLabel.apply(in)));
    }
  }

  /**
   * The user's message {@code seq} in the conversation, or their newest one there when {@code seq}
   * is null, as history has it now; null (and says why) when there is none to change.
   */
  private ServerFrame.Message ownMessage(ChatSession.Target in, Long seq) {
    String me = login.username();
    try {
      if (seq == null) {
        List<ServerFrame.Message> page = ChatSession.page(client, login.token(), in, null, LAST_OWN_SCAN);
        for (ServerFrame.Message message : page.reversed()) {
          if (message.from().equals(me) && message.event() == null && !Boolean.TRUE.equals(message.deleted())) {
            return message;
          }
        }
        screen.show(renderer.error("no message of yours among the last " + LAST_OWN_SCAN + " here; give its #SEQ (/history shows them)"));
        return null;
      }
      // History leaves edit and delete entries out: the newest message at or below seq is seq itself, or it is not one here.
      List<ServerFrame.Message> page = ChatSession.page(client, login.token(), in, seq + 1, 1);
      ServerFrame.Message found = page.isEmpty() ? null : page.getLast();
      if (found == null || found.seq() != seq) {
        screen.show(renderer.error("no message #" + seq + " in this conversation (/history shows the #SEQ of each)"));
        return null;
      }
      if (!found.from().equals(me) || found.event() != null) {
        screen.show(renderer.error("#" + seq + " is not yours: only the sender can edit or delete a message"));
        return null;
      }
      if (Boolean.TRUE.equals(found.deleted())) {
        screen.show(renderer.error("#" + seq + " is already deleted"));
        return null;
      }
      return found;
    } catch (RuntimeException e) {
      screen.show(renderer.error("cannot look the message up: " + ChatSession.describe(e)));
      return null;
    }
  }

  private static String preview(ServerFrame.Message message) {
    if (message.file() != null) {
      return "[file " + message.file().name() + "]";
    }
    String text = message.text();
    return "\"" + (text.codePointCount(0, text.length()) <= PREVIEW_CODE_POINTS
        ? text
        : text.substring(0, text.offsetByCodePoints(0, PREVIEW_CODE_POINTS)) + "…") + "\"";
  }

  private ParleyConnection connected() {
    ParleyConnection open = connection.get();
    if (open == null || open.closed().isDone()) {
      screen.show(renderer.error("not connected (reconnecting); try again in a moment"));
      return null;
    }
    return open;
  }
}
