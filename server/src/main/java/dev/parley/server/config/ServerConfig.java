package dev.parley.server.config;

import java.time.Duration;

/**
 * Every setting of the server, grouped by what it governs, with its documented default. Built by
 * {@link Settings} from flags, environment ({@code PARLEY_*}) and the config file, in that order of
 * precedence. Each service receives the group it needs, never the whole config.
 */
public record ServerConfig(
    ListenSettings listen,
    ConnectionLimits connections,
    StoreSettings store,
    AccountSettings accounts,
    ChatSettings chat,
    PresenceSettings presence,
    FileLimits files,
    SiteSettings site,
    AdminSettings admin,
    TlsSettings tls,
    ClusterSettings cluster) {

  /**
   * @param minLength at least this many characters (code points)
   * @param requireLetter at least one letter, in any script
   * @param requireDigit at least one digit
   */
  public record PasswordPolicy(int minLength, int maxLength, boolean requireLetter, boolean requireDigit) {}

  /** Argon2id cost. The default is OWASP's minimum: 19 MiB, 2 iterations, 1 lane. */
  public record Argon2Cost(int memoryKib, int iterations, int parallelism) {}

  /**
   * @param maxFileBytes largest file, in bytes
   * @param maxUploadsPerUser uploads one user may have in progress at once
   * @param uploadExpiry an upload not written to for this long is removed
   * @param downloadTicketTtl how long a download ticket (a link a browser can follow) stays valid
   * @param maxStorageBytesPerUser bytes one user may hold: the files they sent that are not deleted, plus
   *     their uploads in progress (declared length, or bytes so far while the length is deferred)
   */
  public record FileLimits(
      long maxFileBytes, int maxUploadsPerUser, Duration uploadExpiry, Duration downloadTicketTtl, long maxStorageBytesPerUser) {}

  /**
   * Messages one user may send, over all their connections: a token bucket that holds {@code burst}
   * sends and refills at {@code perSecond}.
   */
  public record MessageRate(int perSecond, int burst) {}

  /**
   * Login throttling.
   *
   * @param failuresPerUsername failures for one username from one address before that pair backs off
   * @param failuresPerAddress failures from one address, any usernames, within {@code window}
   * @param window the per-address window; also how long a quiet pair's count is kept
   * @param backoffInitial the first back-off of a pair, doubled on each further failure
   * @param backoffMax the longest back-off
   */
  public record LoginLimits(
      int failuresPerUsername, int failuresPerAddress, Duration window, Duration backoffInitial, Duration backoffMax) {}

  /** Registrations (each costs an Argon2 hash) allowed per client address and server-wide, per hour. */
  public record RegistrationLimits(int perAddressPerHour, int perHour) {}
}
