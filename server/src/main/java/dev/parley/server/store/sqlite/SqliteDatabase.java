package dev.parley.server.store.sqlite;

import dev.parley.server.store.PrivateFiles;
import dev.parley.server.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite database file in the data directory, in WAL mode with {@code synchronous=FULL}: a
 * returned {@link #write} has reached the disk. One connection writes, guarded by a lock, since
 * SQLite has one writer anyway; each reading thread gets its own connection, and WAL lets those
 * read while the writer commits. Checkpoints (copying the WAL back into the database file, with
 * its own fsync) run on a thread of their own rather than inside whichever commit crosses
 * SQLite's threshold: a message commit must not wait for one. Thread-safe.
 */
public final class SqliteDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SqliteDatabase.class);
  static final String FILE_NAME = "parley.db";
  /**
   * Rows per transaction in bulk inserts: large enough that the fsync per commit stops
   * mattering, small enough that a running server's writer never waits long for the lock.
   */
  static final int BULK_BATCH_ROWS = 1000;
  /**
   * For a new database (an existing one keeps its own). A group commit dirties one page per index
   * entry it adds in scattered places (each conversation's tail, each sender's ids, each
   * recipient's inbox), and writes each whole page to the WAL and again at the checkpoint: at
   * 1 KiB instead of SQLite's 4 KiB a message costs half the bytes written (measured 9.0 →
   * 4.2 KiB) and a third less commit time.
   */
  static final int PAGE_SIZE_BYTES = 1024;
  private static final int WRITER_CACHE_KIB = 64 * 1024;
  private static final int READER_CACHE_KIB = 8 * 1024;
  /** Often enough that the WAL stays a few MiB under full load; an idle check costs next to nothing. */
  private static final long CHECKPOINT_PERIOD_MILLIS = 500;
  /** What an emptied WAL file is cut back to, so one burst does not hold disk space for good. */
  private static final long WAL_SIZE_LIMIT_BYTES = 64L << 20;

  /** One unit of SQL work on a connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final String url;
  private final Connection writer;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final ThreadLocal<Connection> readers = new ThreadLocal<>();
  private final List<Connection> openReaders = new ArrayList<>();
  private final ScheduledExecutorService checkpoints =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("parley-checkpoint").daemon().factory());
  /** Used on the checkpoint thread only. */
  private Connection checkpointer;
  private volatile boolean closed;

  private SqliteDatabase(String url, Connection writer) {
    this.url = url;
    this.writer = writer;
    checkpoints.scheduleWithFixedDelay(this::checkpoint, CHECKPOINT_PERIOD_MILLIS, CHECKPOINT_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  public static SqliteDatabase open(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    try {
      PrivateFiles.directory(dataDir);
      // SQLite creates the WAL and shared-memory files with the database file's permissions.
      if (!Files.exists(file)) {
        Files.createFile(file, PrivateFiles.fileAttributes());
      }
      for (String suffix : new String[] {"", "-wal", "-shm"}) {
        PrivateFiles.restrict(dataDir.resolve(FILE_NAME + suffix));
      }
    } catch (IOException e) {
      throw new StoreException("cannot create data directory " + dataDir, e);
    }
    String url = "jdbc:sqlite:" + file.toAbsolutePath();
    try {
      if (Files.size(file) == 0) {
        create(url);
      }
      Connection writer = config(false).createConnection(url);
      try (Statement pragmas = writer.createStatement()) {
        pragmas.execute("PRAGMA wal_autocheckpoint = 0");
        pragmas.execute("PRAGMA journal_size_limit = " + WAL_SIZE_LIMIT_BYTES);
      }
      writer.setAutoCommit(false);
      SqliteDatabase database = new SqliteDatabase(url, writer);
      Migrations.apply(writer);
      return database;
    } catch (SQLException | IOException e) {
      throw new StoreException("cannot open database " + url, e);
    }
  }

  /** Runs {@code work} in one transaction on the writer connection and commits it durably. */
  public <T> T write(Work<T> work) {
    writeLock.lock();
    try {
      ensureOpen();
      try {
        T result = work.run(writer);
        writer.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly();
        if (e instanceof SQLException sql) {
          throw new StoreException("write failed", sql);
        }
        throw (RuntimeException) e;
      }
    } finally {
      writeLock.unlock();
    }
  }

  /** One statement in its own durable transaction; parameters bind in order, null as SQL NULL. */
  public int update(String sql, Object... parameters) {
    return write(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        for (int i = 0; i < parameters.length; i++) {
          statement.setObject(i + 1, parameters[i]);
        }
        return statement.executeUpdate();
      }
    });
  }

  /** Runs {@code work} on this thread's read connection. */
  public <T> T read(Work<T> work) {
    ensureOpen();
    try {
      return work.run(reader());
    } catch (SQLException e) {
      throw new StoreException("read failed", e);
    }
  }

  @Override
  public void close() {
    checkpoints.shutdownNow();
    try {
      checkpoints.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (checkpointer != null) {
      closeQuietly(checkpointer);
    }
    writeLock.lock();
    try {
      closed = true;
      closeQuietly(writer);
      synchronized (openReaders) {
        openReaders.forEach(SqliteDatabase::closeQuietly);
        openReaders.clear();
      }
    } finally {
      writeLock.unlock();
    }
  }

  /** The page size must be set before the first page is written, and before WAL mode fixes it. */
  private static void create(String url) throws SQLException {
    try (Connection connection = new SQLiteConfig().createConnection(url);
        Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA page_size = " + PAGE_SIZE_BYTES);
      statement.execute("PRAGMA journal_mode = WAL");
    }
  }

  /**
   * A PASSIVE checkpoint never blocks the writer or readers: it copies what no reader still
   * needs, and SQLite restarts the WAL from its start once everything has been copied.
   */
  private void checkpoint() {
    if (closed) {
      return;
    }
    try {
      if (checkpointer == null) {
        checkpointer = config(false).createConnection(url);
      }
      try (Statement statement = checkpointer.createStatement()) {
        statement.execute("PRAGMA wal_checkpoint(PASSIVE)");
      }
    } catch (SQLException e) {
      log.warn("WAL checkpoint failed; the next one retries", e);
    }
  }

  private Connection reader() throws SQLException {
    Connection connection = readers.get();
    if (connection == null) {
      connection = config(true).createConnection(url);
      synchronized (openReaders) {
        openReaders.add(connection);
      }
      readers.set(connection);
    }
    return connection;
  }

  private void ensureOpen() {
    if (closed) {
      throw new StoreException("database is closed", null);
    }
  }

  private void rollbackQuietly() {
    try {
      writer.rollback();
    } catch (SQLException e) {
      log.warn("rollback failed", e);
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      log.warn("closing a database connection failed", e);
    }
  }

  private static SQLiteConfig config(boolean readOnly) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(10_000);
    config.setReadOnly(readOnly);
    // Otherwise the driver regex-scans every executed INSERT to prepare generated keys nobody
    // asks for: 7 % of the server's allocation under message load. RETURNING gives ids instead.
    config.setGetGeneratedKeys(false);
    // A multi-row INSERT keeps a statement journal, in a temporary file per commit by default.
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    // SQLite's default cache is 2 MiB: under load the writer re-read index pages from the OS.
    config.setCacheSize(-(readOnly ? READER_CACHE_KIB : WRITER_CACHE_KIB));
    return config;
  }
}
