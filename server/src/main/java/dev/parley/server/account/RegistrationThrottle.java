package dev.parley.server.account;

import dev.parley.protocol.ParleyException;
import dev.parley.server.config.ServerConfig.RegistrationLimits;
import dev.parley.server.store.LimitCells;
import dev.parley.server.store.LimitCells.Cell;
import java.time.Clock;
import java.time.Duration;

/**
 * Registrations allowed per client address and server-wide (on PostgreSQL: cluster-wide). Each
 * limit is a bucket that holds an hour's allowance and refills evenly over the hour (kept as the
 * generic cell rate algorithm's "theoretical arrival time", one number per bucket, in
 * {@link LimitCells}): a burst of the whole allowance is fine, then one registration per
 * {@code hour / limit}. Blocks on the store on PostgreSQL: call it off the event loops. Thread-safe.
 */
public final class RegistrationThrottle {
  private static final long HOUR_MILLIS = Duration.ofHours(1).toMillis();
  private static final String SERVER_KEY = "registrations";

  private final long perAddressInterval;
  private final long serverInterval;
  private final LimitCells cells;
  private final Clock clock;

  public RegistrationThrottle(RegistrationLimits limits, LimitCells cells, Clock clock) {
    this.perAddressInterval = HOUR_MILLIS / limits.perAddressPerHour();
    this.serverInterval = HOUR_MILLIS / limits.perHour();
    this.cells = cells;
    this.clock = clock;
  }

  /**
   * Takes one registration from both the address's and the server's allowance, or neither (a
   * refused address does not use up the server's; a refusal by the server gives the address's
   * back), and throws {@code rate_limited} with the time until the next one is allowed.
   */
  public void acquire(String address) {
    long now = clock.millis();
    String addressKey = "registrations-address " + address;
    cells.update(addressKey, bucket -> take(bucket, perAddressInterval, now, "too many registrations from this address; try again later"));
    try {
      cells.update(SERVER_KEY, bucket -> take(bucket, serverInterval, now, "too many registrations; try again later"));
    } catch (ParleyException e) {
      cells.update(addressKey, bucket -> bucket == null ? null : arrivalAt(bucket.untilMillis() - perAddressInterval));
      throw e;
    }
  }

  /** Forgets the buckets whose allowance is whole again (with the other limits' cells: they share a store). */
  public void purgeExpired() {
    cells.forget(clock.millis());
  }

  /** The bucket after one registration, or {@code rate_limited} when it allows none now. */
  private static Cell take(Cell bucket, long interval, long now, String refusal) {
    long arrival = Math.max(bucket == null ? now : bucket.untilMillis(), now);
    // A bucket allows a registration while its arrival time is at most an hour's allowance, less one, ahead.
    long wait = arrival - (HOUR_MILLIS - interval) - now;
    if (wait > 0) {
      throw ParleyException.rateLimited(refusal, (wait + 999) / 1000);
    }
    return arrivalAt(arrival + interval);
  }

  /** A bucket whose arrival time is {@code arrival}: whole again, and forgotten, then. */
  private static Cell arrivalAt(long arrival) {
    return new Cell(0, 0, arrival, arrival);
  }
}
