package dev.parley.server.store.postgres;

import dev.parley.server.store.LocalUploadLocks;
import dev.parley.server.store.StoreException;
import dev.parley.server.store.UploadLocks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upload locks held across nodes as PostgreSQL session-level advisory locks, all on one connection
 * of this node's own, outside the pool: a PATCH that streams for minutes holds no pooled
 * connection, and when the node dies its session ends and PostgreSQL frees its locks, so the
 * upload resumes on another node at once. A session may take its own advisory lock twice, so
 * the requests of this node are kept apart first by the set in memory. Only non-blocking
 * {@code pg_try_advisory_lock} runs on the shared connection: nothing ever waits on it.
 *
 * <p>If the connection breaks, PostgreSQL frees what it held: a PATCH running then finishes
 * without the lock (another node's PATCH of the same upload then fails its offset check when it
 * saves). The next call opens a new connection. Thread-safe.
 */
final class AdvisoryUploadLocks implements UploadLocks {
  private static final Logger log = LoggerFactory.getLogger(AdvisoryUploadLocks.class);

  /**
   * Seconds to connect and to read: only non-blocking calls run here, so a database that hangs
   * fails the request that needs a lock soon, not after the driver's default minutes.
   */
  private static final Properties TIMEOUTS = new Properties();

  static {
    TIMEOUTS.setProperty("connectTimeout", "2");
    TIMEOUTS.setProperty("socketTimeout", "4");
    TIMEOUTS.setProperty("ApplicationName", "parley upload locks");
  }

  private final PostgresUrl url;
  private final LocalUploadLocks local = new LocalUploadLocks();
  /** Guarded by {@code this}; null until first used and after a failure. */
  private Connection connection;

  AdvisoryUploadLocks(PostgresUrl url) {
    this.url = url;
  }

  @Override
  public boolean tryLock(String uploadId) {
    if (!local.tryLock(uploadId)) {
      return false;
    }
    boolean locked = false;
    try {
      locked = call("SELECT pg_try_advisory_lock(?)", uploadId);
      return locked;
    } finally {
      if (!locked) {
        local.unlock(uploadId);
      }
    }
  }

  @Override
  public void unlock(String uploadId) {
    try {
      call("SELECT pg_advisory_unlock(?)", uploadId);
    } catch (StoreException e) {
      log.warn("could not release the lock of upload {}; the database freed it with the connection ({})", uploadId, e.getMessage());
    } finally {
      local.unlock(uploadId);
    }
  }

  /**
   * The lock's key: the upload id's first 64 of its 128 random bits. The message log's lock
   * ({@link PostgresDatabase#LOG_LOCK}) is one number among 2^64.
   */
  static long key(String uploadId) {
    return Long.parseUnsignedLong(uploadId.substring(0, 16), 16);
  }

  private synchronized boolean call(String sql, String uploadId) {
    try {
      if (connection == null) {
        connection = url.connect(TIMEOUTS);
      }
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        statement.setLong(1, key(uploadId));
        try (ResultSet row = statement.executeQuery()) {
          row.next();
          return row.getBoolean(1);
        }
      }
    } catch (SQLException e) {
      close();
      throw new StoreException("upload lock failed: " + e.getMessage(), e);
    }
  }

  synchronized void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        log.debug("closing the upload locks' connection failed", e);
      }
      connection = null;
    }
  }
}
