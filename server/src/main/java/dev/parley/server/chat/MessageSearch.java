package dev.parley.server.chat;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.store.ConversationStore;
import dev.parley.server.store.MessageStore;
import dev.parley.server.store.StoredMessage;
import dev.parley.server.store.User;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Search over the messages a user can see; the store decides how (see {@link MessageStore#search}). Thread-safe. */
public final class MessageSearch {
  /** The longest query, in characters after trimming. */
  public static final int MAX_QUERY_CHARS = 200;

  private final ChatService chat;
  private final MessageStore messages;
  private final ConversationStore conversations;
  private final Executor database;

  MessageSearch(ChatService chat, MessageStore messages, ConversationStore conversations, Executor database) {
    this.chat = chat;
    this.messages = messages;
    this.conversations = conversations;
    this.database = database;
  }

  /**
   * Hits for {@code query} in all the user's conversations, or in one room ({@code room}) or the
   * direct conversation with one user ({@code with}), with a seq below {@code before}, newest first.
   */
  public CompletableFuture<List<StoredMessage>> search(User user, String query, String room, String with, Long before, int limit) {
    String text = query.strip();
    int length = text.codePointCount(0, text.length());
    if (length == 0) {
      return CompletableFuture.failedFuture(new ParleyException(ErrorCode.BAD_REQUEST, "q is empty"));
    }
    if (length > MAX_QUERY_CHARS) {
      return CompletableFuture.failedFuture(
          new ParleyException(ErrorCode.BAD_REQUEST, "q is over " + MAX_QUERY_CHARS + " characters"));
    }
    long beforeSeq = before == null ? Long.MAX_VALUE : before;
    return CompletableFuture.supplyAsync(() -> {
      long conversation = 0;
      if (room != null) {
        chat.rooms().membership(user, room);
        conversation = conversations.roomConversation(room).orElseThrow(() -> RoomService.noRoom(room));
      } else if (with != null) {
        conversation = conversations.directConversation(user.id(), chat.resolveNow(with).id(), false);
        if (conversation == 0) {
          return List.of();
        }
      }
      return messages.search(user.id(), conversation, text, beforeSeq, limit);
    }, database);
  }
}
