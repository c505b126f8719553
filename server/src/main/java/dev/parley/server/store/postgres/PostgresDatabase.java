package dev.parley.server.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.server.store.StorageFullException;
import dev.parley.server.store.LimitCells;
import dev.parley.server.store.StoreException;
import dev.parley.server.store.UploadLocks;
import dev.parley.server.store.sql.SqlDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL database shared by every node, through a pool of connections (HikariCP). Writes
 * run in a transaction each, committed with the server's {@code synchronous_commit} (on by
 * default: a returned write survives a crash of the database server); reads run in autocommit.
 *
 * <p>DESIGN: seq allocation. {@code messages.seq} is an identity column, but a plain sequence
 * hands out numbers at insert time, not at commit: transaction A takes 7, B takes 8 and commits
 * first, a reader sees 8 and asks for {@code seq > 8} from then on, and A's 7, committed a moment
 * later, is skipped for good. So every append first takes {@link #LOG_LOCK} with
 * {@code pg_advisory_xact_lock}, which PostgreSQL releases only after the commit is visible: the
 * appends of all nodes run one at a time, and numbers are taken and become visible in the same
 * order. The cost is that the log has one writer cluster-wide, as SQLite's has one per file; each
 * node's message writer already group-commits its batch in one transaction, so the lock is taken
 * once per batch, and the cluster's append rate is bounded by batches per commit round trip (one
 * WAL flush each), not by messages. A counter row updated in the same transaction would serialise
 * the same way; the advisory lock keeps the identity column's numbering and needs no extra row.
 * Thread-safe.
 */
public final class PostgresDatabase implements SqlDatabase {
  private static final Logger log = LoggerFactory.getLogger(PostgresDatabase.class);
  /** The advisory lock key every append holds until its commit ("parley" as one 64-bit number). */
  static final long LOG_LOCK = 0x7061726c6579L;
  /** The first number of every user's lock ({@link #lockUser}); user ids past 2^31 share locks, which only serialises more. */
  private static final int USER_LOCKS = 0x70617200;
  private static final String UNIQUE_VIOLATION = "23505";
  /** disk_full: the database server cannot write. */
  private static final String DISK_FULL = "53100";

  private final HikariDataSource pool;
  private final PostgresUrl url;
  private final AtomicBoolean storageFull = new AtomicBoolean();
  private final AdvisoryUploadLocks uploadLocks;
  private final ReachabilityProbe probe;
  private final LimitCells limitCells;

  private PostgresDatabase(HikariDataSource pool, PostgresUrl url) {
    this.pool = pool;
    this.url = url;
    this.uploadLocks = new AdvisoryUploadLocks(url);
    this.probe = new ReachabilityProbe(url);
    this.limitCells = new PgLimitCells(this);
  }

  /**
   * Connects, and creates or migrates the schema (safe while other nodes start too).
   *
   * @param connections the pool's size: the reader threads plus the writers
   */
  public static PostgresDatabase open(PostgresUrl url, int connections) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url.jdbcUrl());
    config.setUsername(url.user());
    config.setPassword(url.password());
    config.setDataSourceProperties(url.driverProperties());
    config.setMaximumPoolSize(connections);
    config.setMinimumIdle(Math.min(2, connections));
    config.setPoolName("parley-postgres");
    config.setAutoCommit(true);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException("cannot connect to " + url + ": " + e.getMessage(), e);
    }
    PostgresDatabase database = new PostgresDatabase(pool, url);
    try (Connection connection = pool.getConnection()) {
      PgMigrations.apply(connection);
    } catch (SQLException e) {
      pool.close();
      throw new StoreException("cannot migrate " + url + ": " + e.getMessage(), e);
    }
    database.probe.start();
    log.info("store: PostgreSQL at {}", url);
    return database;
  }

  @Override
  public <T> T write(Work<T> work) {
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        if (storageFull.compareAndSet(true, false)) {
          log.info("the database has room again: writes resumed");
        }
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollback(connection);
        throw e;
      }
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  @Override
  public <T> T read(Work<T> work) {
    try (Connection connection = pool.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw new StoreException("read failed: " + e.getMessage(), e);
    }
  }

  /** See the class comment: held until commit, so seq order is commit order across nodes. */
  @Override
  public void lockLog(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_advisory_xact_lock(" + LOG_LOCK + ")");
    }
  }

  /**
   * A transaction-level advisory lock in the two-number key space (apart from the log's), the
   * user's id in the second: freed at commit or rollback, and when the connection dies.
   */
  @Override
  public void lockUser(Connection connection, long userId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
      statement.setInt(1, USER_LOCKS);
      statement.setInt(2, (int) userId);
      statement.execute();
    }
  }

  /** Other nodes may write the same database. */
  @Override
  public boolean onlyWriter() {
    return false;
  }

  /** A table every node updates: limits hold cluster-wide. */
  @Override
  public LimitCells limitCells() {
    return limitCells;
  }

  @Override
  public String problem() {
    return probe.problem();
  }

  /** Advisory locks that PostgreSQL frees when the node holding them dies. */
  @Override
  public UploadLocks uploadLocks() {
    return uploadLocks;
  }

  @Override
  public boolean isUniqueViolation(SQLException e) {
    return UNIQUE_VIOLATION.equals(e.getSQLState());
  }

  /** pg_trgm's GIN index answers ILIKE with three characters or more (see PgMigrations). */
  @Override
  public String searchMatch() {
    return "s.body ILIKE ? ESCAPE '\\'";
  }

  @Override
  public List<String> searchParameters(String text) {
    return List.of(SqlDatabase.containsPattern(text));
  }

  @Override
  public String caseInsensitiveLike() {
    return "ILIKE";
  }

  /** Where this database is, without its password. */
  public PostgresUrl url() {
    return url;
  }

  @Override
  public void close() {
    probe.close();
    uploadLocks.close();
    pool.close();
  }

  private static void rollback(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      log.warn("rollback failed ({}); the pool drops the connection", e.getMessage());
    }
  }

  private StoreException failure(SQLException e) {
    if (!DISK_FULL.equals(e.getSQLState())) {
      return new StoreException("write failed: " + e.getMessage(), e);
    }
    if (storageFull.compareAndSet(false, true)) {
      log.error("the database server's disk is full: writes are refused until space is freed ({})", e.getMessage());
    }
    return new StorageFullException(e);
  }
}
