package dev.parley.server.chat;

import dev.parley.protocol.NotifyLevel;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.cluster.ClusterEvents;
import dev.parley.server.store.ConversationStore;
import dev.parley.server.store.User;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Each user's notification level per conversation, stored on the server so that all their
 * devices agree: a change is pushed to the user's other sessions. Thread-safe.
 */
public final class NotifyLevels {
  private final ChatService chat;
  private final ConversationStore conversations;
  private final ClusterEvents events;
  private final Executor database;

  NotifyLevels(ChatService chat, ConversationStore conversations, ClusterEvents events, Executor database) {
    this.chat = chat;
    this.conversations = conversations;
    this.events = events;
    this.database = database;
  }

  /**
   * Sets the level of a room ({@code room}) or of the direct conversation with a user
   * ({@code with}); completes with the reply for {@code requestId}.
   *
   * @param originSessionId the session that asked, which gets the reply rather than the push;
   *     {@link ChatService#NO_SESSION} for none
   */
  public CompletableFuture<ServerFrame.Notify> set(
      User user, long originSessionId, String requestId, String room, String with, NotifyLevel level) {
    return CompletableFuture.supplyAsync(() -> {
      long conversation;
      String withName = null;
      if (room != null) {
        chat.rooms().membership(user, room);
        conversation = conversations.roomConversation(room).orElseThrow(() -> RoomService.noRoom(room));
      } else {
        User other = chat.resolveNow(with);
        withName = other.username();
        conversation = conversations.directConversation(user.id(), other.id(), true);
      }
      conversations.setNotifyLevel(conversation, user.id(), level);
      events.toUsers(List.of(user.id()), new ServerFrame.Notify(null, room, withName, level), originSessionId);
      return new ServerFrame.Notify(requestId, room, withName, level);
    }, database);
  }
}
