package dev.parley.server.cluster;

import dev.parley.protocol.ServerFrame;
import dev.parley.server.chat.DeliveryBus;
import java.util.Collection;
import java.util.List;

/** A message committed on this node: to the other nodes on the bus, and to this node's sessions in seq order. */
final class BusDelivery implements DeliveryBus {
  private final String node;
  private final NatsBus bus;
  private final DeliveryOrder order;

  BusDelivery(String node, NatsBus bus, DeliveryOrder order) {
    this.node = node;
    this.bus = bus;
    this.order = order;
  }

  @Override
  public void publish(ServerFrame.Message message, long senderId, Collection<Long> memberIds, long originSessionId) {
    bus.publish(new BusEvent.Delivery(node, message, senderId, List.copyOf(memberIds)));
    order.committedHere(message, senderId, memberIds, originSessionId);
  }
}
