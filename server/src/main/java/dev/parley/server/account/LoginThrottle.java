package dev.parley.server.account;

import dev.parley.protocol.ParleyException;
import dev.parley.server.config.ServerConfig.LoginLimits;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins per username and per client address in fixed windows; past the limit,
 * every login for that name or from that address is refused, right password or not, until the
 * window ends. Thread-safe.
 */
public final class LoginThrottle {
  private record Window(long startMillis, int failures) {}

  private final LoginLimits limits;
  private final Clock clock;
  private final ConcurrentHashMap<String, Window> byUsername = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Window> byAddress = new ConcurrentHashMap<>();

  public LoginThrottle(LoginLimits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /** Throws {@code rate_limited} when either the name or the address is over its limit. */
  public void check(String usernameKey, String address) {
    long now = clock.millis();
    long wait = Math.max(
        waitMillis(byUsername, usernameKey, limits.failuresPerUsername(), now),
        waitMillis(byAddress, address, limits.failuresPerAddress(), now));
    if (wait > 0) {
      throw ParleyException.rateLimited("too many failed logins; try again later", (wait + 999) / 1000);
    }
  }

  public void recordFailure(String usernameKey, String address) {
    long now = clock.millis();
    count(byUsername, usernameKey, now);
    count(byAddress, address, now);
  }

  public void recordSuccess(String usernameKey) {
    byUsername.remove(usernameKey);
  }

  /** Forgets windows that have ended, so the maps hold only recent failures. */
  public void purgeExpired() {
    long cutoff = clock.millis() - limits.window().toMillis();
    byUsername.values().removeIf(w -> w.startMillis() < cutoff);
    byAddress.values().removeIf(w -> w.startMillis() < cutoff);
  }

  private long waitMillis(ConcurrentHashMap<String, Window> windows, String key, int limit, long now) {
    Window window = windows.get(key);
    if (window == null || window.failures() < limit) {
      return 0;
    }
    return window.startMillis() + limits.window().toMillis() - now;
  }

  private void count(ConcurrentHashMap<String, Window> windows, String key, long now) {
    long length = limits.window().toMillis();
    windows.compute(
        key,
        (k, window) ->
            window == null || now - window.startMillis() >= length
                ? new Window(now, 1)
                : new Window(window.startMillis(), window.failures() + 1));
  }
}
