package dev.parley.server.cluster;

import dev.parley.protocol.ServerFrame;
import dev.parley.server.account.AccountService;
import java.util.Collection;

/**
 * What one node pushes to live sessions besides committed messages (those go through the ordered
 * {@link dev.parley.server.chat.DeliveryBus}): typing, read cursors, notification levels, new
 * users, and the end of revoked logins. {@link LocalEvents} reaches this node's sessions; with a
 * bus, {@link NatsEvents} reaches every node's. Thread-safe; no method blocks.
 */
public interface ClusterEvents extends AccountService.RevocationListener {
  /**
   * Sends the frame to every live session of these users.
   *
   * @param exceptSessionId the session on this node that needs no copy (it got a reply), or
   *     {@link dev.parley.server.chat.ChatService#NO_SESSION}
   */
  void toUsers(Collection<Long> userIds, ServerFrame frame, long exceptSessionId);

  /** Sends the frame to every live session. */
  void toEveryone(ServerFrame frame);
}
