package dev.parley.server.account;

import dev.parley.protocol.ParleyException;
import dev.parley.server.config.ServerConfig.LoginLimits;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Throttles password guessing without handing attackers a way to lock owners out. Failures are
 * counted per (username, client address): past {@code failuresPerUsername} of them, that pair
 * backs off, exponentially and capped, so a guesser slows down ever more while the owner, from
 * an address that has not failed, is never refused. Separately, an address with
 * {@code failuresPerAddress} failures in a fixed window, whatever the usernames, is refused until
 * the window ends. Thread-safe.
 */
public final class LoginThrottle {
  private record Pair(String usernameKey, String address) {}

  /** The failures of one pair, the last of them, and until when the pair is refused. */
  private record Failures(int count, long lastFailureMillis, long blockedUntilMillis) {}

  private record Window(long startMillis, int failures) {}

  /** Doublings past which the back-off cannot grow anyway; keeps the shift from overflowing. */
  private static final int MAX_DOUBLINGS = 40;

  private final LoginLimits limits;
  private final Clock clock;
  private final ConcurrentHashMap<Pair, Failures> byPair = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Window> byAddress = new ConcurrentHashMap<>();

  public LoginThrottle(LoginLimits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /** Throws {@code rate_limited} when the pair is backing off or the address is over its limit. */
  public void check(String usernameKey, String address) {
    long now = clock.millis();
    Failures failures = byPair.get(new Pair(usernameKey, address));
    long pairWait = failures == null ? 0 : failures.blockedUntilMillis() - now;
    long wait = Math.max(pairWait, addressWaitMillis(address, now));
    if (wait > 0) {
      throw ParleyException.rateLimited("too many failed logins; try again later", (wait + 999) / 1000);
    }
  }

  /** Counts a failure; returns how long, in whole seconds, the pair is now refused (0: not at all). */
  public long recordFailure(String usernameKey, String address) {
    long now = clock.millis();
    Failures counted = byPair.compute(new Pair(usernameKey, address), (pair, failures) -> {
      int count = failures == null ? 1 : failures.count() + 1;
      long blockedUntil = count < limits.failuresPerUsername() ? 0 : now + backoffMillis(count - limits.failuresPerUsername());
      return new Failures(count, now, blockedUntil);
    });
    long length = limits.window().toMillis();
    byAddress.compute(
        address,
        (k, window) ->
            window == null || now - window.startMillis() >= length
                ? new Window(now, 1)
                : new Window(window.startMillis(), window.failures() + 1));
    return Math.max(0, (counted.blockedUntilMillis() - now + 999) / 1000);
  }

  /** The right password clears that pair's failures, not the address's nor other pairs'. */
  public void recordSuccess(String usernameKey, String address) {
    byPair.remove(new Pair(usernameKey, address));
  }

  /**
   * Forgets address windows that have ended, and pairs that stayed quiet after their last failure
   * and back-off for the window or the longest back-off, whichever is longer: a guesser who keeps
   * coming back keeps the back-off it has earned.
   */
  public void purgeExpired() {
    long now = clock.millis();
    long length = limits.window().toMillis();
    long pairMemory = Math.max(length, limits.backoffMax().toMillis());
    byPair.values().removeIf(f -> now - Math.max(f.lastFailureMillis(), f.blockedUntilMillis()) >= pairMemory);
    byAddress.values().removeIf(w -> now - w.startMillis() >= length);
  }

  /** {@code backoffInitial} doubled {@code doublings} times, at most {@code backoffMax}. */
  private long backoffMillis(int doublings) {
    long max = limits.backoffMax().toMillis();
    long initial = limits.backoffInitial().toMillis();
    int shift = Math.min(doublings, MAX_DOUBLINGS);
    return initial > (max >> shift) ? max : Math.min(max, initial << shift);
  }

  private long addressWaitMillis(String address, long now) {
    Window window = byAddress.get(address);
    if (window == null || window.failures() < limits.failuresPerAddress()) {
      return 0;
    }
    return window.startMillis() + limits.window().toMillis() - now;
  }
}
