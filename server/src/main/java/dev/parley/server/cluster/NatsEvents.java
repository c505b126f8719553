package dev.parley.server.cluster;

import dev.parley.protocol.ServerFrame;
import java.util.Collection;
import java.util.List;

/** This node's sessions, then the other nodes' through the bus, where {@link Cluster} applies each to theirs. */
final class NatsEvents implements ClusterEvents {
  private final String node;
  private final NatsBus bus;
  private final LocalEvents local;

  NatsEvents(String node, NatsBus bus, LocalEvents local) {
    this.node = node;
    this.bus = bus;
    this.local = local;
  }

  @Override
  public void toUsers(Collection<Long> userIds, ServerFrame frame, long exceptSessionId) {
    local.toUsers(userIds, frame, exceptSessionId);
    bus.publish(new BusEvent.ToUsers(node, List.copyOf(userIds), frame));
  }

  @Override
  public void toEveryone(ServerFrame frame) {
    local.toEveryone(frame);
    bus.publish(new BusEvent.ToEveryone(node, frame));
  }

  @Override
  public void tokenRevoked(String tokenHash, String byeReason) {
    local.tokenRevoked(tokenHash, byeReason);
    bus.publish(new BusEvent.TokenRevoked(node, tokenHash, byeReason));
  }

  @Override
  public void accountClosed(long userId, String byeReason) {
    local.accountClosed(userId, byeReason);
    bus.publish(new BusEvent.AccountClosed(node, userId, byeReason));
  }
}
