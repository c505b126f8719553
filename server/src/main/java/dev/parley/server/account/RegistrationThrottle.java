package dev.parley.server.account;

import dev.parley.protocol.ParleyException;
import dev.parley.server.config.ServerConfig.RegistrationLimits;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Registrations allowed per client address and server-wide. Each limit is a bucket that holds an
 * hour's allowance and refills evenly over the hour (kept as the generic cell rate algorithm's
 * "theoretical arrival time", one number per bucket): a burst of the whole allowance is fine,
 * then one registration per {@code hour / limit}. Registrations are rare next to their Argon2
 * cost, so one lock is enough. Thread-safe.
 */
public final class RegistrationThrottle {
  private static final long HOUR_MILLIS = Duration.ofHours(1).toMillis();

  private final long perAddressInterval;
  private final long serverInterval;
  private final Clock clock;
  /** Guarded by {@code this}; an address whose bucket is full again has no entry. */
  private final Map<String, Long> arrivalByAddress = new HashMap<>();
  private long serverArrival;

  public RegistrationThrottle(RegistrationLimits limits, Clock clock) {
    this.perAddressInterval = HOUR_MILLIS / limits.perAddressPerHour();
    this.serverInterval = HOUR_MILLIS / limits.perHour();
    this.clock = clock;
  }

  /**
   * Takes one registration from both the address's and the server's allowance, or neither (a
   * refused address does not use up the server's), and throws {@code rate_limited} with the time
   * until the next one is allowed.
   */
  public synchronized void acquire(String address) {
    long now = clock.millis();
    long addressArrival = Math.max(arrivalByAddress.getOrDefault(address, now), now);
    long addressWait = waitMillis(addressArrival, perAddressInterval, now);
    if (addressWait > 0) {
      throw ParleyException.rateLimited("too many registrations from this address; try again later", seconds(addressWait));
    }
    long serverNow = Math.max(serverArrival, now);
    long serverWait = waitMillis(serverNow, serverInterval, now);
    if (serverWait > 0) {
      throw ParleyException.rateLimited("too many registrations; try again later", seconds(serverWait));
    }
    arrivalByAddress.put(address, addressArrival + perAddressInterval);
    serverArrival = serverNow + serverInterval;
  }

  /** Forgets the addresses whose allowance is whole again. */
  public synchronized void purgeExpired() {
    long now = clock.millis();
    arrivalByAddress.values().removeIf(arrival -> arrival <= now);
  }

  /** A bucket allows a registration while its arrival time is at most an hour's allowance, less one, ahead. */
  private static long waitMillis(long arrival, long interval, long now) {
    return arrival - (HOUR_MILLIS - interval) - now;
  }

  private static long seconds(long millis) {
    return (millis + 999) / 1000;
  }
}
