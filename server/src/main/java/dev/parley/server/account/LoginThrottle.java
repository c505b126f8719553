package dev.parley.server.account;

import dev.parley.protocol.ParleyException;
import dev.parley.server.config.ServerConfig.LoginLimits;
import dev.parley.server.store.LimitCells;
import dev.parley.server.store.LimitCells.Cell;
import java.time.Clock;

/**
 * Throttles password guessing without handing attackers a way to lock owners out. Failures are
 * counted per (username, client address): past {@code failuresPerUsername} of them, that pair
 * backs off, exponentially and capped, so a guesser slows down ever more while the owner, from
 * an address that has not failed, is never refused. Separately, an address with
 * {@code failuresPerAddress} failures in a fixed window, whatever the usernames, is refused until
 * the window ends. The counts live in {@link LimitCells}, so on PostgreSQL they hold across every
 * node: a guesser gains nothing by spreading tries over the nodes. Blocks on the store on
 * PostgreSQL: call it off the event loops. Thread-safe.
 */
public final class LoginThrottle {
  /** Doublings past which the back-off cannot grow anyway; keeps the shift from overflowing. */
  private static final int MAX_DOUBLINGS = 40;

  private final LoginLimits limits;
  private final LimitCells cells;
  private final Clock clock;

  public LoginThrottle(LoginLimits limits, LimitCells cells, Clock clock) {
    this.limits = limits;
    this.cells = cells;
    this.clock = clock;
  }

  /** Throws {@code rate_limited} when the pair is backing off or the address is over its limit. */
  public void check(String usernameKey, String address) {
    long now = clock.millis();
    Cell pair = cells.get(pairKey(usernameKey, address));
    long pairWait = pair == null ? 0 : pair.untilMillis() - now;
    long wait = Math.max(pairWait, addressWaitMillis(address, now));
    if (wait > 0) {
      throw ParleyException.rateLimited("too many failed logins; try again later", (wait + 999) / 1000);
    }
  }

  /** Counts a failure; returns how long, in whole seconds, the pair is now refused (0: not at all). */
  public long recordFailure(String usernameKey, String address) {
    long now = clock.millis();
    long pairMemory = Math.max(limits.window().toMillis(), limits.backoffMax().toMillis());
    Cell counted = cells.update(pairKey(usernameKey, address), pair -> {
      long count = pair == null ? 1 : pair.count() + 1;
      long blockedUntil = count < limits.failuresPerUsername() ? 0 : now + backoffMillis(count - limits.failuresPerUsername());
      return new Cell(count, now, blockedUntil, Math.max(now, blockedUntil) + pairMemory);
    });
    long length = limits.window().toMillis();
    cells.update(
        addressKey(address),
        window ->
            window == null || now - window.sinceMillis() >= length
                ? new Cell(1, now, 0, now + length)
                : new Cell(window.count() + 1, window.sinceMillis(), 0, window.forgetAtMillis()));
    return Math.max(0, (counted.untilMillis() - now + 999) / 1000);
  }

  /** The right password clears that pair's failures, not the address's nor other pairs'. */
  public void recordSuccess(String usernameKey, String address) {
    cells.update(pairKey(usernameKey, address), pair -> null);
  }

  /**
   * Forgets address windows that have ended, and pairs that stayed quiet after their last failure
   * and back-off for the window or the longest back-off, whichever is longer: a guesser who keeps
   * coming back keeps the back-off it has earned. (With the other limits' cells: they share a store.)
   */
  public void purgeExpired() {
    cells.forget(clock.millis());
  }

  /** {@code backoffInitial} doubled {@code doublings} times, at most {@code backoffMax}. */
  private long backoffMillis(long doublings) {
    long max = limits.backoffMax().toMillis();
    long initial = limits.backoffInitial().toMillis();
    int shift = (int) Math.min(doublings, MAX_DOUBLINGS);
    return initial > (max >> shift) ? max : Math.min(max, initial << shift);
  }

  private long addressWaitMillis(String address, long now) {
    Cell window = cells.get(addressKey(address));
    if (window == null || window.count() < limits.failuresPerAddress()) {
      return 0;
    }
    return window.sinceMillis() + limits.window().toMillis() - now;
  }

  /** The address first: it has no spaces, so the username after it cannot make two pairs' keys alike. */
  private static String pairKey(String usernameKey, String address) {
    return "login-pair " + address + " " + usernameKey;
  }

  private static String addressKey(String address) {
    return "login-address " + address;
  }
}
