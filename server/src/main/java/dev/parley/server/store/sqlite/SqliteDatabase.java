package dev.parley.server.store.sqlite;

import dev.parley.server.store.PrivateFiles;
import dev.parley.server.store.StorageFullException;
import dev.parley.server.store.LimitCells;
import dev.parley.server.store.LocalLimitCells;
import dev.parley.server.store.LocalUploadLocks;
import dev.parley.server.store.StoreException;
import dev.parley.server.store.UploadLocks;
import dev.parley.server.store.sql.SqlDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite database file in the data directory, in WAL mode with {@code synchronous=FULL}: a
 * returned {@link #write} has reached the disk. One connection writes, guarded by a lock, since
 * SQLite has one writer anyway; each reading thread gets its own connection, and WAL lets those
 * read while the writer commits. Checkpoints (copying the WAL back into the database file, with
 * its own fsync) run on a thread of their own rather than inside whichever commit crosses
 * SQLite's threshold: a message commit must not wait for one. Those never finish while commits
 * keep coming, so once the WAL file passes its bound the writer itself truncates it between two
 * commits. A failed write leaves nothing behind and never leaves the writer connection outside a
 * transaction; a full disk fails writes with {@link StorageFullException} until space is freed.
 * Thread-safe.
 */
public final class SqliteDatabase implements SqlDatabase {
  private static final Logger log = LoggerFactory.getLogger(SqliteDatabase.class);
  public static final String FILE_NAME = "parley.db";
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
  /** Often enough that the WAL stays a few MiB under moderate load; an idle check costs next to nothing. */
  private static final long CHECKPOINT_PERIOD_MILLIS = 500;
  /** The {@code wal-max-bytes} default, for tools that open the database without a server config. */
  public static final long DEFAULT_WAL_MAX_BYTES = 64L << 20;
  /** After a truncation that readers kept from finishing, commits go on this long before the next try. */
  private static final long TRUNCATE_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** SQLite's primary result code for a full disk; extended codes carry it in the low byte. */
  private static final int SQLITE_FULL = 13;

  private final String url;
  private final Path walFile;
  private final long walMaxBytes;
  private final ReentrantLock writeLock = new ReentrantLock();
  /** Guarded by {@link #writeLock}; null after a failure made it unusable, reopened on the next write. */
  private Connection writer;
  /** Guarded by {@link #writeLock}: truncates the WAL while no commit can run. */
  private Connection truncator;
  /** Guarded by {@link #writeLock}. */
  private long nextTruncateNanos = System.nanoTime();
  /** Whether the disk was last seen full: one log line when an episode starts, one when it ends. */
  private final AtomicBoolean storageFull = new AtomicBoolean();
  private final ThreadLocal<Connection> readers = new ThreadLocal<>();
  /** One node uses a SQLite file, so its upload locks need not leave memory. */
  private final UploadLocks uploadLocks = new LocalUploadLocks();
  private final LimitCells limitCells = new LocalLimitCells();
  private final List<Connection> openReaders = new ArrayList<>();
  private final ScheduledExecutorService checkpoints =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("parley-checkpoint").daemon().factory());
  /**
   * Held by whoever checkpoints: SQLite fails a second checkpoint at once (without waiting) while
   * one runs, so the writer's truncation waits here for a background checkpoint to end.
   */
  private final ReentrantLock checkpointLock = new ReentrantLock();
  /** Used on the checkpoint thread only. */
  private Connection checkpointer;
  private volatile boolean closed;

  private SqliteDatabase(String url, Path walFile, long walMaxBytes, Connection writer) {
    this.url = url;
    this.walFile = walFile;
    this.walMaxBytes = walMaxBytes;
    this.writer = writer;
    checkpoints.scheduleWithFixedDelay(this::checkpoint, CHECKPOINT_PERIOD_MILLIS, CHECKPOINT_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  public static SqliteDatabase open(Path dataDir) {
    return open(dataDir, DEFAULT_WAL_MAX_BYTES);
  }

  /** Opens (creating it if need be) the database; the WAL file is kept near {@code walMaxBytes}. */
  public static SqliteDatabase open(Path dataDir, long walMaxBytes) {
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
      Connection writer = openWriter(url, walMaxBytes);
      Path walFile = file.resolveSibling(FILE_NAME + "-wal");
      SqliteDatabase database = new SqliteDatabase(url, walFile, walMaxBytes, writer);
      Migrations.apply(writer);
      return database;
    } catch (SQLException | IOException e) {
      throw new StoreException("cannot open database " + url, e);
    }
  }

  /** On the one writer connection, under the write lock: SQLite has one writer anyway. */
  @Override
  public <T> T write(Work<T> work) {
    writeLock.lock();
    try {
      ensureOpen();
      Connection connection = writer();
      T result;
      try {
        result = work.run(connection);
        connection.commit();
      } catch (SQLException e) {
        StoreException failure = failure("write failed", e);
        abandon(connection, failure instanceof StorageFullException);
        throw failure;
      } catch (RuntimeException | Error e) {
        abandon(connection, false);
        throw e;
      }
      if (storageFull.compareAndSet(true, false)) {
        log.info("storage has room again: writes resumed");
      }
      boundWal();
      return result;
    } finally {
      writeLock.unlock();
    }
  }

  /** The write lock already keeps every other append out until this one committed. */
  @Override
  public void lockLog(Connection connection) {}

  @Override
  public boolean onlyWriter() {
    return true;
  }

  @Override
  public String searchMatch() {
    return TrigramMatch.CONDITION;
  }

  @Override
  public List<String> searchParameters(String text) {
    return TrigramMatch.parameters(text);
  }

  /** SQLite's LIKE ignores case (of ASCII letters, as FTS5's trigram tokenizer folds it). */
  @Override
  public String caseInsensitiveLike() {
    return "LIKE";
  }

  /** A file in this process cannot be out of reach; a full disk fails writes with their own error. */
  @Override
  public String problem() {
    return null;
  }

  /** Nothing to do: a write transaction already runs alone on SQLite, and one process uses the file. */
  @Override
  public void lockUser(Connection connection, long userId) {}

  @Override
  public LimitCells limitCells() {
    return limitCells;
  }

  @Override
  public UploadLocks uploadLocks() {
    return uploadLocks;
  }

  @Override
  public boolean isUniqueViolation(SQLException e) {
    return e instanceof SQLiteException sqlite && sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE;
  }

  /** Runs {@code work} on this thread's read connection. */
  @Override
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
      if (writer != null) {
        closeQuietly(writer);
      }
      if (truncator != null) {
        closeQuietly(truncator);
      }
      synchronized (openReaders) {
        openReaders.forEach(SqliteDatabase::closeQuietly);
        openReaders.clear();
      }
    } finally {
      writeLock.unlock();
    }
  }

  private static Connection openWriter(String url, long walMaxBytes) throws SQLException {
    Connection writer = config(false).createConnection(url);
    try (Statement pragmas = writer.createStatement()) {
      pragmas.execute("PRAGMA wal_autocheckpoint = 0");
      // What an emptied WAL file is cut back to, so one burst does not hold disk space for good.
      pragmas.execute("PRAGMA journal_size_limit = " + walMaxBytes);
    }
    writer.setAutoCommit(false);
    return writer;
  }

  /** The writer connection, reopened if a failure made the last one unusable. Holds the write lock. */
  private Connection writer() {
    if (writer == null) {
      try {
        writer = openWriter(url, walMaxBytes);
      } catch (SQLException e) {
        throw failure("cannot reopen the writer connection", e);
      }
    }
    return writer;
  }

  /**
   * Undoes a failed transaction. SQLite rolls some failures back by itself (a full disk does);
   * the driver's rollback then fails before it begins the next transaction, and the connection
   * would silently run in autocommit: every later statement committed on its own and every
   * commit failing. A connection whose rollback failed is therefore closed, never reused.
   * {@code expected}: after a full disk it is, and the episode is logged once elsewhere.
   */
  private void abandon(Connection connection, boolean expected) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      if (!expected) {
        log.warn("rollback failed ({}); reopening the writer connection", e.getMessage());
      }
      closeQuietly(connection);
      writer = null;
    }
  }

  /** The exception for a failed statement: a full disk is logged once per episode, not per write. */
  private StoreException failure(String what, SQLException e) {
    if (!isDiskFull(e)) {
      return new StoreException(what, e);
    }
    if (storageFull.compareAndSet(false, true)) {
      log.error("storage full: writes are refused until space is freed in {} ({})", walFile.getParent(), e.getMessage());
    }
    return new StorageFullException(e);
  }

  private static boolean isDiskFull(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && (sql.getErrorCode() & 0xff) == SQLITE_FULL) {
        return true;
      }
    }
    return false;
  }

  /**
   * Keeps the WAL file near {@code walMaxBytes} under any load: a TRUNCATE checkpoint here, with
   * the write lock held, cannot be overtaken by new commits as the background one is. It waits
   * (up to the busy timeout) for readers still on old snapshots. Holds the write lock.
   */
  private void boundWal() {
    if (System.nanoTime() - nextTruncateNanos < 0 || walBytes() <= walMaxBytes) {
      return;
    }
    checkpointLock.lock();
    try {
      if (truncator == null) {
        truncator = config(false).createConnection(url);
      }
      try (Statement statement = truncator.createStatement();
          ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
        if (result.next() && result.getInt(1) != 0) {
          log.warn("a reader kept the WAL ({} bytes) from being truncated; retrying after later commits", walBytes());
          nextTruncateNanos = System.nanoTime() + TRUNCATE_RETRY_NANOS;
        }
      }
    } catch (SQLException e) {
      nextTruncateNanos = System.nanoTime() + TRUNCATE_RETRY_NANOS;
      if (!isDiskFull(e)) {
        log.warn("truncating the WAL failed; retrying after later commits", e);
      }
    } finally {
      checkpointLock.unlock();
    }
  }

  private long walBytes() {
    try {
      return Files.size(walFile);
    } catch (IOException e) {
      return 0;
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
    if (closed || !checkpointLock.tryLock()) {
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
      if (isDiskFull(e)) {
        failure("checkpoint failed", e);
      } else {
        log.warn("WAL checkpoint failed; the next one retries", e);
      }
    } finally {
      checkpointLock.unlock();
    }
  }

  private Connection reader() throws SQLException {
    Connection connection = readers.get();
    if (connection == null) {
      connection = config(true).createConnection(url);
      synchronized (openReaders) {
        openReaders.add(connection);
      }
      TrigramMatch.register(connection);
      readers.set(connection);
    }
    return connection;
  }

  private void ensureOpen() {
    if (closed) {
      throw new StoreException("database is closed", null);
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
