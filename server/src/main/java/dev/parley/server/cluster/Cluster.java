package dev.parley.server.cluster;

import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.chat.ChatService;
import dev.parley.server.chat.DeliveryBus;
import dev.parley.server.config.ClusterSettings;
import dev.parley.server.health.HealthChecks;
import dev.parley.server.session.Sessions;
import dev.parley.server.store.MessageStore;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
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
  /** Reads the database to fill gaps: may wait on it, so it has its own thread. */
  private final ScheduledExecutorService logReader;
  /** Heartbeats and leases: never behind a slow database read, or other nodes would think this one dead. */
  private final ScheduledExecutorService heartbeats;
  private final AtomicBoolean logCheckFailing = new AtomicBoolean();
  private volatile Consumer<String> roomChanged = room -> {};
  private volatile LongConsumer accountClosed = userId -> {};

  private Cluster(ClusterSettings settings, NatsBus bus, Sessions sessions, DeliveryBus localDelivery, MessageStore store,
      BooleanSupplier committingHere, Sessions.PresenceListener watchers) {
    this.settings = settings;
    this.bus = bus;
    this.store = store;
    this.logReader = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("parley-bus-log").daemon().factory());
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("parley-bus-heartbeat").daemon().factory());
    this.local = new LocalEvents(sessions);
    this.events = new NatsEvents(settings.nodeId(), bus, local);
    this.order = new DeliveryOrder(localDelivery, store, committingHere, this::remoteEntry, logReader, settings.gapWait());
    this.delivery = new BusDelivery(settings.nodeId(), bus, order);
    this.presence = new ClusterPresence(settings.nodeId(), watchers, bus, settings.lease(), System::nanoTime);
  }

  /**
   * Joins the bus. Register {@link #presence()} with the sessions in place of {@code watchers}.
   *
   * @param localDelivery delivers to this node's sessions
   * @param committingHere whether this node's writer holds committed entries not yet handed to delivery
   * @param watchers hears each user's cluster-wide online state change
   * @throws IllegalStateException when no NATS server answers
   */
  public static Cluster connect(ClusterSettings settings, FrameCodec codec, Sessions sessions, DeliveryBus localDelivery,
      MessageStore store, BooleanSupplier committingHere, Sessions.PresenceListener watchers, HealthChecks health)
      throws InterruptedException {
    NatsBus bus = NatsBus.connect(settings, codec);
    health.add("bus", bus::problem);
    return new Cluster(settings, bus, sessions, localDelivery, store, committingHere, watchers);
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
    bus.onReconnect(() -> logReader.execute(this::checkLog));
    long heartbeat = settings.heartbeat().toMillis();
    heartbeats.scheduleWithFixedDelay(this::beat, 0, heartbeat, TimeUnit.MILLISECONDS);
    long check = settings.logCheck().toMillis();
    logReader.scheduleWithFixedDelay(this::checkLog, check, check, TimeUnit.MILLISECONDS);
  }

  private void received(BusEvent event) {
    switch (event) {
      case BusEvent.Delivery d -> {
        if (d.message() instanceof ServerFrame.Message message) {
          // At once, not in seq order: the sooner this node's writer stops using the old state, the better.
          remoteEntry(message);
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

  /**
   * Membership and name changes live in the rooms' state, which each node keeps. A message this
   * node's writer accepts between the other node's commit and this call goes to the members this
   * node knew (live only; replay with {@code since} follows the database).
   */
  private void remoteEntry(ServerFrame.Message message) {
    if (message.room() != null && message.event() != null) {
      roomChanged.accept(message.room());
    }
  }

  /** Logged once per episode: while the database is unreachable this fails every {@code logCheck}. */
  private void checkLog() {
    try {
      order.checkLog();
      if (logCheckFailing.compareAndSet(true, false)) {
        log.info("bus: the check of the log for missed messages works again");
      }
    } catch (RuntimeException e) {
      if (logCheckFailing.compareAndSet(false, true)) {
        log.warn("bus: cannot check the log for missed messages; retrying every {} ms", settings.logCheck().toMillis(), e);
      }
    }
  }

  private void beat() {
    try {
      presence.beat();
    } catch (RuntimeException e) {
      log.warn("bus: heartbeat failed", e);
    }
  }

  /** Entries read back from the database because the bus lost them (or they came late). */
  public long recoveredEntries() {
    return order.recovered();
  }

  @Override
  public void close() {
    heartbeats.shutdownNow();
    logReader.shutdownNow();
    presence.leaving();
    try {
      bus.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
