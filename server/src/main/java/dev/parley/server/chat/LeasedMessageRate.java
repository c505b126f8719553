package dev.parley.server.chat;

import dev.parley.server.config.ServerConfig.MessageRate;
import dev.parley.server.metrics.SecurityLog;
import dev.parley.server.store.LimitCells;
import dev.parley.server.store.LimitCells.Cell;
import dev.parley.server.store.StoreException;
import dev.parley.server.store.User;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message rate limit of nodes that share a database. Each node keeps the user's bucket in
 * memory as a lone node does ({@link LocalMessageRate}), so no node alone lets more through than
 * the limit; and the user's cluster-wide bucket ({@code burst}, refilled at {@code perSecond}) is a
 * row of the shared {@link LimitCells}, into which each node pays in arrears: once half a
 * {@link #slice} of sends is unpaid it charges them, off the send path, in one update, and learns
 * the bucket's level. While the shared bucket is overdrawn, the node refuses the user until the
 * refill covers the debt; a node refuses too while two slices are unpaid (its charges lag). So a
 * send never waits for the database, and the rate holds cluster-wide in the long run.
 *
 * <p>The bound: in any stretch of {@code t} seconds a user sends at most
 * {@code burst + perSecond × t + 2 × N × slice} messages through {@code N} nodes (what each node
 * may have unpaid when the shared bucket runs dry), and the overdraft is then paid back by
 * waiting. One database update per half a slice of sends, per user and node; leftovers are paid
 * by {@link #forgetIdle}. Thread-safe.
 */
final class LeasedMessageRate implements MessageRateLimit {
  private static final Logger log = LoggerFactory.getLogger(LeasedMessageRate.class);
  /** While a node has two slices unpaid (its charges lag behind), it asks for this wait. */
  private static final long CHARGING_RETRY_SECONDS = 1;

  private final MessageRate rate;
  private final LimitCells cells;
  private final Executor database;
  private final Clock clock;
  private final SecurityLog securityLog;
  /** Sends a node makes on trust before it must have paid: a tenth of the burst. */
  private final int slice;
  private final ConcurrentHashMap<Long, Lease> leases = new ConcurrentHashMap<>();
  /** This node's own bucket per user: the limit as a lone node keeps it. */
  private final LocalMessageRate local;

  LeasedMessageRate(MessageRate rate, LimitCells cells, Executor database, Clock clock, SecurityLog securityLog) {
    this.rate = rate;
    this.cells = cells;
    this.database = database;
    this.clock = clock;
    this.securityLog = securityLog;
    this.slice = slice(rate);
    this.local = new LocalMessageRate(rate, clock, securityLog);
  }

  /** The sends each node may make for a user before it learns what the shared bucket holds. */
  static int slice(MessageRate rate) {
    return Math.max(1, rate.burst() / 10);
  }

  @Override
  public void acquire(User sender) {
    local.acquire(sender);
    long now = clock.millis();
    Lease lease = leases.computeIfAbsent(sender.id(), id -> new Lease());
    long waitMillis;
    int charge;
    synchronized (lease) {
      lease.usedMillis = now;
      waitMillis = lease.refusedUntilMillis - now;
      if (waitMillis <= 0 && lease.unpaid >= 2 * slice) {
        waitMillis = CHARGING_RETRY_SECONDS * 1000;
      }
      if (waitMillis > 0) {
        charge = 0;
      } else {
        lease.unpaid++;
        charge = !lease.charging && lease.unpaid * 2 >= slice ? lease.unpaid : 0;
        lease.charging |= charge > 0;
      }
    }
    if (charge > 0) {
      chargeLater(sender.id(), lease, charge);
    }
    if (waitMillis > 0) {
      throw MessageRateLimit.refusal(rate, sender, (waitMillis + 999) / 1000, securityLog);
    }
  }

  /** Pays what each user sent and drops the leases of users who have not sent for a bucket's refill time. */
  @Override
  public void forgetIdle() {
    local.forgetIdle();
    long now = clock.millis();
    long idleMillis = (long) rate.burst() * 1000 / rate.perSecond();
    leases.forEach((userId, lease) -> {
      int charge;
      synchronized (lease) {
        charge = lease.charging ? 0 : lease.unpaid;
        lease.charging |= charge > 0;
      }
      if (charge > 0) {
        charge(userId, lease, charge);
      }
    });
    leases.values().removeIf(lease -> {
      synchronized (lease) {
        return !lease.charging && lease.unpaid == 0 && lease.refusedUntilMillis <= now && now - lease.usedMillis >= idleMillis;
      }
    });
  }

  private void chargeLater(long userId, Lease lease, int sends) {
    try {
      database.execute(() -> charge(userId, lease, sends));
    } catch (RejectedExecutionException e) {
      synchronized (lease) {
        lease.charging = false;
      }
    }
  }

  /** Takes {@code sends} from the user's shared bucket; an overdrawn bucket refuses the user here until it has refilled. */
  private void charge(long userId, Lease lease, int sends) {
    long capacity = rate.burst() * 1000L;
    try {
      long now = clock.millis();
      Cell bucket = cells.update("messages " + userId, cell -> {
        long level = capacity;
        if (cell != null) {
          long refilled = Math.max(0, now - cell.sinceMillis()) * rate.perSecond();
          level = Math.min(capacity, cell.count() + refilled);
        }
        level -= sends * 1000L;
        return new Cell(level, now, 0, now + (capacity - level) / rate.perSecond());
      });
      synchronized (lease) {
        lease.unpaid -= sends;
        // Below one whole send: refused until the refill brings it there.
        long missing = 1000 - bucket.count();
        lease.refusedUntilMillis = missing > 0 ? now + (missing + rate.perSecond() - 1) / rate.perSecond() : 0;
      }
    } catch (StoreException e) {
      log.warn("could not charge user {}'s sends to the shared rate limit ({}); trying again with the next send", userId, e.getMessage());
    } finally {
      synchronized (lease) {
        lease.charging = false;
      }
    }
  }

  /** One user's sends on this node. Guarded by itself. */
  private static final class Lease {
    /** Sends made and not yet charged to the shared bucket. */
    private int unpaid;
    /** Whether a charge is on its way to the database. */
    private boolean charging;
    /** The shared bucket was overdrawn: the user waits until then. */
    private long refusedUntilMillis;
    private long usedMillis;
  }
}
