package dev.parley.server.chat;

import dev.parley.protocol.ServerFrame;
import dev.parley.server.session.OutboundBatch;
import dev.parley.server.session.Session;
import dev.parley.server.session.SharedFrame;
import dev.parley.server.session.Sessions;
import java.util.Collection;

/**
 * Delivery to the sessions connected to this server; marks a message delivered once written to a
 * recipient. One publish is one {@link OutboundBatch} (or part of the group commit's): each event
 * loop wakes once for all its recipients.
 */
public final class LocalDeliveryBus implements DeliveryBus {
  private final Sessions sessions;
  private final MessageLog log;

  public LocalDeliveryBus(Sessions sessions, MessageLog log) {
    this.sessions = sessions;
    this.log = log;
  }

  @Override
  public void publish(ServerFrame.Message message, long senderId, Collection<Long> memberIds, long originSessionId) {
    SharedFrame<ServerFrame.Message> shared = new SharedFrame<>(message);
    OutboundBatch.run(() -> {
      for (long member : memberIds) {
        Runnable onWritten = member == senderId ? null : () -> log.delivered(member, message.seq());
        for (Session session : sessions.ofUser(member)) {
          if (session.id() != originSessionId) {
            session.deliverLive(shared, session.reportsDeliveries() ? onWritten : null);
          }
        }
      }
    });
  }
}
