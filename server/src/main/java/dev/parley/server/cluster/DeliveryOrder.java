package dev.parley.server.cluster;

import dev.parley.protocol.ServerFrame;
import dev.parley.server.chat.ChatService;
import dev.parley.server.chat.DeliveryBus;
import dev.parley.server.chat.MessageFrames;
import dev.parley.server.store.LogEntry;
import dev.parley.server.store.MessageStore;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands this node's sessions every committed entry of the cluster's log exactly once and in seq
 * order, whether it was committed here, arrived on the bus, or was lost on the bus.
 *
 * <p>A session skips a seq at or below the last it got (see {@code Session}), so a node must never
 * deliver 11 before 10: entries wait in {@link #pending} until every lower seq is delivered or
 * known not to exist. Seq order is commit order across nodes (PostgresDatabase holds a lock from
 * the seq's allocation to the commit), so once seq {@code s} is committed every lower seq is
 * committed or never will be (a rolled-back append leaves a hole): a gap below a waiting entry is
 * filled from the database after {@code gapWait}, and what the database does not have is skipped.
 * A lost last entry has nothing above it to reveal the gap, so every {@code logCheck} the
 * database's newest seq is read, and what was newest at the previous check and is still not
 * delivered is read back. Thread-safe: one lock, held while delivering (which only queues frames).
 */
final class DeliveryOrder {
  private static final Logger log = LoggerFactory.getLogger(DeliveryOrder.class);
  /** Entries read back from the database per query. */
  private static final int RECOVERY_PAGE = 500;

  private record Entry(ServerFrame.Message message, long senderId, Collection<Long> memberIds, long originSessionId, boolean remote) {}

  private final DeliveryBus local;
  private final MessageStore store;
  private final BooleanSupplier committingHere;
  private final Consumer<ServerFrame.Message> remoteEntryDelivered;
  private final ScheduledExecutorService timer;
  private final Duration gapWait;

  private final TreeMap<Long, Entry> pending = new TreeMap<>();
  /** Every seq up to this one is delivered, or does not exist. */
  private long delivered;
  private long newestAtLastCheck;
  private ScheduledFuture<?> gapFill;
  private long recovered;
  /** Whether the last read failed: one log line per episode, not one per retry. */
  private boolean recoveryFailing;

  /**
   * @param committingHere whether this node's writer holds committed entries it has not yet handed
   *     here: while it does, no gap is read back, since the gap may be those entries, and read back
   *     they would reach the connection they were sent from as if another had sent them
   * @param remoteEntryDelivered told of each entry from another node, once it is delivered here
   */
  DeliveryOrder(DeliveryBus local, MessageStore store, BooleanSupplier committingHere,
      Consumer<ServerFrame.Message> remoteEntryDelivered, ScheduledExecutorService timer, Duration gapWait) {
    this.local = local;
    this.store = store;
    this.committingHere = committingHere;
    this.remoteEntryDelivered = remoteEntryDelivered;
    this.timer = timer;
    this.gapWait = gapWait;
  }

  /** Before any session exists: what is in the log now is history, replayed on welcome, not delivered live. */
  synchronized void startAfter(long seq) {
    delivered = seq;
    newestAtLastCheck = seq;
  }

  /** Committed on this node, in seq order. */
  void committedHere(ServerFrame.Message message, long senderId, Collection<Long> memberIds, long originSessionId) {
    offer(new Entry(message, senderId, memberIds, originSessionId, false));
  }

  /** Arrived on the bus from another node. */
  void arrived(ServerFrame.Message message, long senderId, Collection<Long> memberIds) {
    offer(new Entry(message, senderId, memberIds, ChatService.NO_SESSION, true));
  }

  /** Entries read back from the database so far, for tests and metrics. */
  synchronized long recovered() {
    return recovered;
  }

  /** The scheduled check for a lost last entry; also run when the bus comes back. */
  void checkLog() {
    if (committingHere.getAsBoolean()) {
      return;
    }
    long newest = store.newestSeq();
    long after;
    long upTo;
    synchronized (this) {
      upTo = newestAtLastCheck;
      newestAtLastCheck = newest;
      after = delivered;
    }
    if (after < upTo) {
      recover(after, upTo);
    }
  }

  private synchronized void offer(Entry entry) {
    long seq = entry.message().seq();
    if (seq <= delivered || pending.containsKey(seq)) {
      return;
    }
    pending.put(seq, entry);
    drain();
  }

  /** Under the lock: delivers what is next in line, and arms the gap fill while something waits. */
  private void drain() {
    pending.headMap(delivered, true).clear();
    while (!pending.isEmpty() && pending.firstKey() == delivered + 1) {
      deliver(pending.pollFirstEntry().getValue());
    }
    if (!pending.isEmpty() && gapFill == null) {
      gapFill = timer.schedule(this::fillGap, gapWait.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void deliver(Entry entry) {
    delivered = entry.message().seq();
    local.publish(entry.message(), entry.senderId(), entry.memberIds(), entry.originSessionId());
    if (entry.remote()) {
      remoteEntryDelivered.accept(entry.message());
    }
  }

  private void fillGap() {
    long after;
    long upTo;
    synchronized (this) {
      gapFill = null;
      if (pending.isEmpty()) {
        return;
      }
      if (committingHere.getAsBoolean()) {
        gapFill = timer.schedule(this::fillGap, gapWait.toMillis(), TimeUnit.MILLISECONDS);
        return;
      }
      after = delivered;
      upTo = pending.firstKey() - 1;
    }
    recover(after, upTo);
  }

  /** Reads {@code (after, upTo]} back from the database, all of which is committed, and delivers it in order. */
  private void recover(long after, long upTo) {
    try {
      long from = after;
      while (from < upTo) {
        List<LogEntry> page = store.entries(from, upTo, RECOVERY_PAGE);
        long through = page.size() < RECOVERY_PAGE ? upTo : page.getLast().message().seq();
        synchronized (this) {
          for (LogEntry stored : page) {
            long seq = stored.message().seq();
            if (seq > delivered && !pending.containsKey(seq)) {
              pending.put(seq, new Entry(MessageFrames.message(stored.message()), stored.senderId(), stored.memberIds(),
                  ChatService.NO_SESSION, true));
              recovered++;
            }
          }
          // Every seq up to {@code through} is now waiting here, delivered, or was never committed.
          while (delivered < through) {
            Long next = pending.ceilingKey(delivered + 1);
            if (next == null || next > through) {
              delivered = through;
            } else {
              deliver(pending.remove(next));
            }
          }
          drain();
        }
        from = through;
      }
      synchronized (this) {
        if (recoveryFailing) {
          recoveryFailing = false;
          log.info("bus: missed messages are read from the database again");
        }
      }
    } catch (RuntimeException e) {
      synchronized (this) {
        if (!recoveryFailing) {
          recoveryFailing = true;
          log.warn("bus: cannot read missed messages {} to {} from the database; retrying: {}", after + 1, upTo, e.getMessage());
        }
        if (gapFill == null && !pending.isEmpty()) {
          gapFill = timer.schedule(this::fillGap, gapWait.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    }
  }
}
