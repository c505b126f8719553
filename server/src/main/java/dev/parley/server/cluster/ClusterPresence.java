package dev.parley.server.cluster;

import dev.parley.server.session.Sessions;
import dev.parley.server.store.User;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Who is online in the whole cluster: a user is online while connected to any node. This node
 * tells the others at once when a user's first session arrives or last one leaves, and every
 * {@code heartbeat} lists all its users; the list renews its lease and repairs any change lost on
 * the bus. A node not heard from for the lease (killed, cut off) is gone, and its users go offline
 * unless connected elsewhere. Transitions of the cluster-wide state go to {@code presence}, the
 * watchers of this node. Thread-safe: one lock; nothing under it blocks.
 */
final class ClusterPresence implements Sessions.PresenceListener {
  /** Users per heartbeat message: about 200 KB of JSON, well under NATS's default 1 MB payload limit. */
  static final int HEARTBEAT_USERS = 5_000;

  private record RemoteNode(Map<Long, User> users, long heardAtNanos) {}

  /** The parts of another node's heartbeat round that have arrived. */
  private record Round(long round, Map<Integer, List<BusEvent.OnlineUser>> parts) {}

  private final String node;
  private final Sessions.PresenceListener presence;
  private final NatsBus bus;
  private final Duration lease;
  private final LongSupplier nanoTime;
  private final Map<Long, User> local = new HashMap<>();
  private final Map<String, RemoteNode> remote = new HashMap<>();
  private final Map<String, Round> rounds = new HashMap<>();
  private long round;

  ClusterPresence(String node, Sessions.PresenceListener presence, NatsBus bus, Duration lease, LongSupplier nanoTime) {
    this.node = node;
    this.presence = presence;
    this.bus = bus;
    this.lease = lease;
    this.nanoTime = nanoTime;
  }

  @Override
  public void online(User user) {
    synchronized (this) {
      boolean before = onlineAnywhere(user.id());
      local.put(user.id(), user);
      if (!before) {
        presence.online(user);
      }
    }
    bus.publish(new BusEvent.Presence(node, onBus(user), true));
  }

  @Override
  public void offline(User user) {
    synchronized (this) {
      local.remove(user.id());
      if (!onlineAnywhere(user.id())) {
        presence.offline(user);
      }
    }
    bus.publish(new BusEvent.Presence(node, onBus(user), false));
  }

  /** A change on another node. */
  synchronized void changed(BusEvent.Presence change) {
    Map<Long, User> users = new HashMap<>(known(change.node()));
    User user = fromBus(change.user());
    if (change.online()) {
      users.put(user.id(), user);
    } else {
      users.remove(user.id());
    }
    replace(change.node(), users);
  }

  /** A part of another node's full list: renews its lease, and the last part of a round replaces its users. */
  synchronized void heard(BusEvent.Heartbeat heartbeat) {
    String other = heartbeat.node();
    Round parts = rounds.get(other);
    if (parts == null || parts.round() != heartbeat.round()) {
      // A newer round: what is left of the older one (a part lost on the bus) is dropped.
      parts = new Round(heartbeat.round(), new HashMap<>());
      rounds.put(other, parts);
    }
    parts.parts().put(heartbeat.part(), heartbeat.users());
    if (parts.parts().size() < heartbeat.parts()) {
      remote.put(other, new RemoteNode(known(other), nanoTime.getAsLong()));
      return;
    }
    rounds.remove(other);
    Map<Long, User> users = new HashMap<>();
    parts.parts().values().forEach(list -> list.forEach(u -> users.put(u.id(), fromBus(u))));
    replace(other, users);
  }

  /** Sends this node's heartbeat and forgets the nodes whose lease ran out; the scheduled chore. */
  void beat() {
    List<BusEvent.OnlineUser> users;
    long thisRound;
    synchronized (this) {
      thisRound = ++round;
      users = local.values().stream().map(ClusterPresence::onBus).toList();
      long now = nanoTime.getAsLong();
      List<String> expired = remote.entrySet().stream()
          .filter(e -> now - e.getValue().heardAtNanos() > lease.toNanos())
          .map(Map.Entry::getKey)
          .toList();
      expired.forEach(gone -> {
        rounds.remove(gone);
        Map<Long, User> leftWithIt = remote.remove(gone).users();
        leftWithIt.values().forEach(user -> {
          if (!onlineAnywhere(user.id())) {
            presence.offline(user);
          }
        });
      });
    }
    int parts = Math.max(1, (users.size() + HEARTBEAT_USERS - 1) / HEARTBEAT_USERS);
    for (int part = 0; part < parts; part++) {
      List<BusEvent.OnlineUser> slice = users.subList(part * HEARTBEAT_USERS, Math.min(users.size(), (part + 1) * HEARTBEAT_USERS));
      bus.publish(new BusEvent.Heartbeat(node, thisRound, part, parts, slice));
    }
  }

  /** On a clean shutdown: the others take this node's users offline now, not after the lease. */
  synchronized void leaving() {
    bus.publish(new BusEvent.Heartbeat(node, ++round, 0, 1, List.of()));
  }

  /** Under the lock: the node's users become {@code users}, and each user whose cluster-wide state changed is announced. */
  private void replace(String other, Map<Long, User> users) {
    Map<Long, User> before = known(other);
    Map<Long, User> gone = new HashMap<>(before);
    gone.keySet().removeAll(users.keySet());
    Map<Long, User> arrived = new HashMap<>(users);
    arrived.keySet().removeAll(before.keySet());
    Map<Long, Boolean> wasOnline = new HashMap<>();
    gone.keySet().forEach(id -> wasOnline.put(id, onlineAnywhere(id)));
    arrived.keySet().forEach(id -> wasOnline.put(id, onlineAnywhere(id)));
    remote.put(other, new RemoteNode(users, nanoTime.getAsLong()));
    arrived.values().forEach(user -> {
      if (!wasOnline.get(user.id())) {
        presence.online(user);
      }
    });
    gone.values().forEach(user -> {
      if (wasOnline.get(user.id()) && !onlineAnywhere(user.id())) {
        presence.offline(user);
      }
    });
  }

  private Map<Long, User> known(String other) {
    RemoteNode known = remote.get(other);
    return known == null ? Map.of() : known.users();
  }

  /** Whether the user is connected to any node. */
  synchronized boolean isOnline(long userId) {
    return onlineAnywhere(userId);
  }

  private boolean onlineAnywhere(long userId) {
    if (local.containsKey(userId)) {
      return true;
    }
    for (RemoteNode other : remote.values()) {
      if (other.users().containsKey(userId)) {
        return true;
      }
    }
    return false;
  }

  private static BusEvent.OnlineUser onBus(User user) {
    return new BusEvent.OnlineUser(user.id(), user.username());
  }

  private static User fromBus(BusEvent.OnlineUser user) {
    return new User(user.id(), user.username());
  }
}
