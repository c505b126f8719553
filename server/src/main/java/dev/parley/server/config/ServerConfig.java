package dev.parley.server.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Every setting of the server, with its documented default. Built by {@link Settings} from flags,
 * environment ({@code PARLEY_*}) and the config file, in that order of precedence.
 *
 * @param maxFrameBytes largest TCP line or WebSocket message; larger ones get {@code too_large} and a close
 * @param outboundQueueFrames frames queued to one connection before it is dropped as a slow consumer
 * @param commitBatchMax most messages committed in one transaction by the group-commit writer
 */
public record ServerConfig(
    String host,
    int httpPort,
    int tcpPort,
    Path dataDir,
    int maxFrameBytes,
    int maxTextChars,
    Duration idleTimeout,
    Duration tokenTtl,
    PasswordPolicy passwordPolicy,
    Argon2Cost argon2,
    LoginLimits loginLimits,
    int outboundQueueFrames,
    int historyPageDefault,
    int historyPageMax,
    int usersPageDefault,
    int usersPageMax,
    int watchMaxUsers,
    int commitBatchMax,
    int dbReaderThreads,
    int maxConnections,
    FileLimits files,
    MessageRate messageRate) {

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

  /** Failed logins allowed per username and per client address within the window. */
  public record LoginLimits(int failuresPerUsername, int failuresPerAddress, Duration window) {}
}
