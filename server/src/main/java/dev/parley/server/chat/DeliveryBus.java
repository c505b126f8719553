package dev.parley.server.chat;

import dev.parley.protocol.ServerFrame;
import java.util.Collection;

/**
 * Carries a committed message to the live sessions of its conversation's members. This node's
 * sessions only, today; a bus across nodes (Redis, NATS) would implement the same contract.
 *
 * <p>It carries the wire frame, not the domain record: the frame is the unit that goes out to
 * every session it reaches, built once by {@link MessageFrames} at this delivery edge.
 */
public interface DeliveryBus {
  /**
   * Delivers to every live session of each member except the one the message was sent from.
   * Called in seq order.
   *
   * @param senderId the sender, whose own sessions get the message as a copy, not a delivery
   */
  void publish(ServerFrame.Message message, long senderId, Collection<Long> memberIds, long originSessionId);
}
