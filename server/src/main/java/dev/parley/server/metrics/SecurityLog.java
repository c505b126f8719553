package dev.parley.server.metrics;

import dev.parley.server.store.InviteRefusedException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an administrator needs to see an attack: logins, registrations and refusals, one line per
 * event under the logger {@value #LOGGER_NAME}, as {@code key=value} pairs starting with
 * {@code event=}. It never holds a password or a token, and names only accounts that exist (a
 * name that matches no account may be a password typed into the wrong field); addresses are IP
 * literals, so no field can forge a line.
 *
 * <p>Failures and refusals are summarised so that a flood cannot flood the log: of one event from
 * one address, at most one line is written per {@link #SUMMARY_INTERVAL}. The next line of that
 * event and address carries {@code repeated=N} for the ones left out, and {@link #flush} (run
 * every minute) writes the count of a burst that has stopped. Thread-safe.
 */
public final class SecurityLog {
  public static final String LOGGER_NAME = "parley.security";
  public static final Duration SUMMARY_INTERVAL = Duration.ofSeconds(60);

  private static final Logger log = LoggerFactory.getLogger(LOGGER_NAME);

  /** Whom a summarised event is about: an address, or a user for per-user limits. */
  private record Key(String event, String subject) {}

  /** When the last line of a key was written, and how many of its events were left out since. */
  private record Burst(long loggedAtMillis, int leftOut) {}

  private final Clock clock;
  /** Guarded by {@code this}. */
  private final Map<Key, Burst> bursts = new HashMap<>();

  public SecurityLog(Clock clock) {
    this.clock = clock;
  }

  public void registered(String username, String address) {
    log.info("event=registered address={} user={}", address, username);
  }

  public void registrationRefused(String address, long retryAfterSeconds) {
    summarised("registration_refused", address, "reason=rate_limited retry_after=" + retryAfterSeconds);
  }

  /**
   * A registration whose invite could not be used, summarised per address.
   *
   * @param reason why, or null when no code was given
   */
  public void inviteRefused(String address, InviteRefusedException.Reason reason) {
    summarised("invite_refused", address, "reason=" + (reason == null ? "missing" : reason.name().toLowerCase(Locale.ROOT)));
  }

  /** @param how {@code changed} (by the user) or {@code reset_replaced} (a reset one replaced at login) */
  public void passwordChanged(String username, String how) {
    log.info("event=password_changed user={} how={}", username, how);
  }

  /**
   * What an admin did, and to whom: one line each, never summarised.
   *
   * @param admin the admin's name, or {@code -} for the operator's offline command
   * @param target the user or invite acted on
   */
  public void adminAction(String admin, String action, String target) {
    log.info("event=admin_action admin={} action={} target={}", admin, action, target);
  }

  public void loginSucceeded(String username, String address) {
    log.info("event=login_succeeded address={} user={}", address, username);
  }

  /**
   * @param username the account's name, or null when no account has the name tried
   * @param backoffSeconds how long this username and address are now refused; 0 for not at all
   */
  public void loginFailed(String username, String address, long backoffSeconds) {
    summarised(
        "login_failed", address, "user=" + (username == null ? "-" : username) + " backoff=" + backoffSeconds);
  }

  public void loginThrottled(String address, long retryAfterSeconds) {
    summarised("login_throttled", address, "retry_after=" + retryAfterSeconds);
  }

  /**
   * A connection refused as it was accepted, summarised per address and reason.
   *
   * @param reason {@code server_full} ({@code max-connections} are open) or {@code too_many_connections}
   *     (the address has {@code max-connections-per-address} open)
   */
  public void connectionRefused(String address, String transport, String reason) {
    summarised("connection_refused", "address", address + " reason=" + reason, "transport=" + transport);
  }

  /** A send refused by the user's message rate limit ({@code messages-per-second}, {@code message-burst}). */
  public void messagesRateLimited(String username, long retryAfterSeconds) {
    summarised("messages_rate_limited", "user", username, "retry_after=" + retryAfterSeconds);
  }

  /** An upload refused by the user's storage quota ({@code max-storage-bytes-per-user}). */
  public void quotaExceeded(String username, long usedBytes, long neededBytes) {
    summarised("quota_exceeded", "user", username, "used=" + usedBytes + " needed=" + neededBytes);
  }

  /** Writes the count of each burst that was left out of the log and has had no line for an interval. */
  public void flush() {
    long now = clock.millis();
    synchronized (this) {
      for (Iterator<Map.Entry<Key, Burst>> i = bursts.entrySet().iterator(); i.hasNext(); ) {
        Map.Entry<Key, Burst> entry = i.next();
        Burst burst = entry.getValue();
        if (now - burst.loggedAtMillis() >= SUMMARY_INTERVAL.toMillis()) {
          i.remove();
          if (burst.leftOut() > 0) {
            log.warn("event={} {} repeated={}", entry.getKey().event(), entry.getKey().subject(), burst.leftOut());
          }
        }
      }
    }
  }

  private void summarised(String event, String address, String details) {
    summarised(event, "address", address, details);
  }

  /** One line per event and subject per {@link #SUMMARY_INTERVAL}; the rest are counted. */
  private void summarised(String event, String subjectField, String subjectValue, String details) {
    long now = clock.millis();
    Key key = new Key(event, subjectField + "=" + subjectValue);
    int leftOut;
    synchronized (this) {
      Burst burst = bursts.get(key);
      if (burst != null && now - burst.loggedAtMillis() < SUMMARY_INTERVAL.toMillis()) {
        bursts.put(key, new Burst(burst.loggedAtMillis(), burst.leftOut() + 1));
        return;
      }
      leftOut = burst == null ? 0 : burst.leftOut();
      bursts.put(key, new Burst(now, 0));
    }
    log.warn("event={} {} {}{}", event, key.subject(), details, leftOut > 0 ? " repeated=" + leftOut : "");
  }
}
