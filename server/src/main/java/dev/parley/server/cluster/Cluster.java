package dev.parley.server.cluster;

import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.chat.DeliveryBus;
import dev.parley.server.chat.ChatService;
import dev.parley.server.config.ClusterSettings;
import dev.parley.server.health.HealthChecks;
import dev.parley.server.session.Sessions;
import dev.parley.server.store.MessageStore;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node as one of several on a NATS bus: what it pushes reaches the others' sessions, and what
 * they push reaches its own. {@link #connect} joins the bus; the server builds its services on
 * {@link #delivery()} and {@link #events()}, then calls {@link #start} before it accepts
 * connections. Thread-safe.
 */
public final class Cluster implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Cluster.class);

  private final ClusterSettings settings;
  private final NatsBus bus;
  private final LocalEvents local;
  private final NatsEvents events;
  private final DeliveryOrder order;
  private final BusDelivery delivery;
  private final ClusterPresence presence;
  private final MessageStore store;
  private final ScheduledExecutorService timer;
  private volatile Consumer<String> roomChanged = room -> {};
  private volatile LongConsumer accountClosed = userId -> {};

  private Cluster(ClusterSettings settings, NatsBus bus, Sessions sessions, DeliveryBus localDelivery, MessageStore store,
      Sessions.PresenceListener watchers) {
    this.settings = settings;
    this.bus = bus;
    this.store = store;
    this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("parley-cluster").daemon().factory());
    this.local = new LocalEvents(sessions);
    this.events = new NatsEvents(settings.nodeId(), bus, local);
    this.order = new DeliveryOrder(localDelivery, store, this::remoteEntryDelivered, timer, settings.gapWait());
    this.delivery = new BusDelivery(settings.nodeId(), bus, order);
    this.presence = new ClusterPresence(settings.nodeId(), watchers, bus, settings.lease(), System::nanoTime);
  }

  /**
   * Joins the bus. Register {@link #presence()} with the sessions in place of {@code watchers}.
   *
   * @param localDelivery delivers to this node's sessions
   * @param watchers hears each user's cluster-wide online state change
   * @throws IllegalStateException when no NATS server answers
   */
  public static Cluster connect(ClusterSettings settings, FrameCodec codec, Sessions sessions, DeliveryBus localDelivery,
      MessageStore store, Sessions.PresenceListener watchers, HealthChecks health) throws InterruptedException {
    NatsBus bus = NatsBus.connect(settings, codec);
    health.add("bus", bus::problem);
    return new Cluster(settings, bus, sessions, localDelivery, store, watchers);
  }

  /** What the chat service publishes committed messages to. */
  public DeliveryBus delivery() {
    return delivery;
  }

  public ClusterEvents events() {
    return events;
  }

  /** Whether the user is connected to any node. */
  public boolean isOnline(long userId) {
    return presence.isOnline(userId);
  }

  /** Hears this node's sessions come and go. */
  public Sessions.PresenceListener presence() {
    return presence;
  }

  /**
   * Starts hearing the other nodes, before this node accepts connections.
   *
   * @param roomChanged told of a room whose membership or name another node changed, so that what
   *     this node remembers of it is read again
   * @param accountClosed told of an account another node disabled or deleted, likewise
   */
  public void start(Consumer<String> roomChanged, LongConsumer accountClosed) {
    this.roomChanged = roomChanged;
    this.accountClosed = accountClosed;
    // What commits between these two lines is found by the next check of the log.
    order.startAfter(store.newestSeq());
    bus.subscribe(this::received);
    bus.onReconnect(() -> timer.execute(this::checkLog));
    long heartbeat = settings.heartbeat().toMillis();
    timer.scheduleWithFixedDelay(() -> chore("heartbeat", presence::beat), 0, heartbeat, TimeUnit.MILLISECONDS);
    long check = settings.logCheck().toMillis();
    timer.scheduleWithFixedDelay(this::checkLog, check, check, TimeUnit.MILLISECONDS);
  }

  private void received(BusEvent event) {
    switch (event) {
      case BusEvent.Delivery d -> {
        if (d.message() instanceof ServerFrame.Message message) {
          order.arrived(message, d.senderId(), d.memberIds());
        }
      }
      case BusEvent.ToUsers t -> local.toUsers(t.userIds(), t.frame(), ChatService.NO_SESSION);
      case BusEvent.ToEveryone e -> local.toEveryone(e.frame());
      case BusEvent.TokenRevoked r -> local.tokenRevoked(r.tokenHash(), r.byeReason());
      case BusEvent.AccountClosed c -> {
        local.accountClosed(c.userId(), c.byeReason());
        accountClosed.accept(c.userId());
      }
      case BusEvent.Presence p -> presence.changed(p);
      case BusEvent.Heartbeat h -> presence.heard(h);
    }
  }

  /** Membership and name changes live in the rooms' state, which each node keeps. */
  private void remoteEntryDelivered(ServerFrame.Message message) {
    if (message.room() != null && message.event() != null) {
      roomChanged.accept(message.room());
    }
  }

  private void checkLog() {
    chore("checking the log for missed messages", order::checkLog);
  }

  /** Entries read back from the database because the bus lost them (or they came late). */
  public long recoveredEntries() {
    return order.recovered();
  }

  private static void chore(String what, Runnable chore) {
    try {
      chore.run();
    } catch (RuntimeException e) {
      log.warn("bus: {} failed", what, e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    presence.leaving();
    try {
      bus.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
