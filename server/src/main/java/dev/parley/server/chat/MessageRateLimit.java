package dev.parley.server.chat;

import dev.parley.protocol.ParleyException;
import dev.parley.server.config.ServerConfig.MessageRate;
import dev.parley.server.metrics.SecurityLog;
import dev.parley.server.store.LimitCells;
import dev.parley.server.store.User;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * How fast one user may send, over all their connections and transports, and on PostgreSQL over
 * all nodes: {@code perSecond} with bursts of {@code burst}. It sits on the send path, so
 * {@link #acquire} never blocks. Thread-safe.
 */
sealed interface MessageRateLimit permits LocalMessageRate, LeasedMessageRate {
  /** Takes one send of the user's, or throws {@code rate_limited} with the wait for the next; never blocks. */
  void acquire(User sender);

  /** Drops what is kept for users who have not sent for a while; the periodic cleanup, may block. */
  void forgetIdle();

  /** A bucket in memory where this node is the only one; buckets in the shared cells, used in slices, where it is not. */
  static MessageRateLimit of(MessageRate rate, LimitCells cells, Executor database, Clock clock, SecurityLog securityLog) {
    return cells.shared()
        ? new LeasedMessageRate(rate, cells, database, clock, securityLog)
        : new LocalMessageRate(rate, clock, securityLog);
  }

  static ParleyException refusal(MessageRate rate, User sender, long retryAfterSeconds, SecurityLog securityLog) {
    securityLog.messagesRateLimited(sender.username(), retryAfterSeconds);
    return ParleyException.rateLimited(
        "more than " + rate.perSecond() + " messages a second (bursts of " + rate.burst() + "); slow down",
        retryAfterSeconds);
  }
}
