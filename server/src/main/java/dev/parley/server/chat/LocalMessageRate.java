package dev.parley.server.chat;

import dev.parley.server.config.ServerConfig.MessageRate;
import dev.parley.server.metrics.SecurityLog;
import dev.parley.server.store.User;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The message rate limit of a node that is its database's only user (SQLite): a token bucket per
 * user in memory that holds {@code burst} sends and refills at {@code perSecond}. A human typing
 * never empties it; a flood does, and then waits for the refill. A bucket is kept per user who
 * sent recently (a few dozen bytes each); full ones are forgotten by {@link #forgetIdle}.
 * Thread-safe.
 */
final class LocalMessageRate implements MessageRateLimit {
  private final MessageRate rate;
  private final Clock clock;
  private final SecurityLog securityLog;
  private final ConcurrentHashMap<Long, Bucket> buckets = new ConcurrentHashMap<>();

  LocalMessageRate(MessageRate rate, Clock clock, SecurityLog securityLog) {
    this.rate = rate;
    this.clock = clock;
    this.securityLog = securityLog;
  }

  @Override
  public void acquire(User sender) {
    long now = clock.millis();
    long waitMillis = buckets.computeIfAbsent(sender.id(), id -> new Bucket(now)).take(now);
    if (waitMillis > 0) {
      long retryAfterSeconds = (waitMillis + 999) / 1000;
      throw MessageRateLimit.refusal(rate, sender, retryAfterSeconds, securityLog);
    }
  }

  /**
   * Drops the buckets that have refilled: a full bucket is what a user without one gets. A send
   * racing the removal may go uncounted once, which is harmless.
   */
  @Override
  public void forgetIdle() {
    long now = clock.millis();
    buckets.values().removeIf(bucket -> bucket.isFullAt(now));
  }

  private final class Bucket {
    private double tokens = rate.burst();
    private long updatedMillis;

    Bucket(long nowMillis) {
      this.updatedMillis = nowMillis;
    }

    /** 0 if a send was taken, else the milliseconds until one can be. */
    synchronized long take(long nowMillis) {
      if (nowMillis > updatedMillis) {
        tokens = Math.min(rate.burst(), tokens + (nowMillis - updatedMillis) * rate.perSecond() / 1000.0);
        updatedMillis = nowMillis;
      }
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) * 1000 / rate.perSecond());
    }

    synchronized boolean isFullAt(long nowMillis) {
      return tokens + Math.max(0, nowMillis - updatedMillis) * rate.perSecond() / 1000.0 >= rate.burst();
    }
  }
}
