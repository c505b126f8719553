package dev.parley.server.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indexes committed messages for search on its own thread, behind the writer, in transactions
 * of up to {@link #ROWS_PER_TRANSACTION} messages and {@link #CHARACTERS_PER_TRANSACTION} of
 * text: the trigram index's pages leave the commit that a {@code send}'s ack waits for, and are
 * written once for many messages instead of once per group commit, which it lets gather for up to
 * {@link #GATHER_MILLIS}. Used where this process is the database's only writer (SQLite);
 * PostgreSQL's writers index in their own commit.
 *
 * <p>Where it has got to is the newest row of the index itself, read in each of its transactions,
 * so a crash loses nothing and a second process on the same file (an operator's command) cannot
 * index a message twice: on start it indexes whatever the log holds beyond that, before the
 * store serves (or, if another process holds the write lock then, on its thread just after). A message is
 * indexed in its current state (its text as last edited; a deleted one not at all), so an edit or
 * delete of a message the follower has not reached yet, which the index does not hold, leaves the
 * index alone ({@link SearchIndex#replace}). A search waits for the follower to reach what was
 * committed when it began ({@link #awaitIndexed}), so a sender finds their own acked message.
 *
 * <p>Thread-safe: guarded by this object's monitor.
 */
final class SearchFollower implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SearchFollower.class);
  /**
   * Messages indexed per transaction at most. The index's cost per message falls with the size of
   * its transactions (each flushes one segment, which later merges rewrite): with the index's merge
   * settings (Migrations, version 10), 2048 cost half the CPU and ~40 % of the bytes per message
   * that 512 did. The WAL bound (SqliteDatabase) is checked after each transaction, so one
   * transaction (~0.75 MB of WAL with the bench's texts since the index keeps no positions, 2.3 MB
   * before; measured) is what it can overshoot, as a group commit can.
   */
  static final int ROWS_PER_TRANSACTION = 2048;
  /**
   * Characters of text indexed per transaction at most, whatever the number of messages: a
   * transaction's index segment, and so what it adds to the WAL past its bound, grows with the
   * text, not the rows. 2,048 of the bench's 64-character texts fit; of 300-character ones, as
   * many as 512 did before.
   */
  static final int CHARACTERS_PER_TRANSACTION = 2048 * 64;
  /**
   * How long the follower lets commits gather before it indexes them, unless a search waits or a
   * transaction's worth is there: each of its transactions holds the write lock the message
   * writer needs, and makes a segment, so at a low message rate it should not take one per group
   * commit; at a high one, a transaction's worth gathers sooner.
   */
  static final long GATHER_MILLIS = 250;
  /** How long a search waits for the follower at most; past that it answers from what is indexed. */
  private static final long SEARCH_WAIT_MILLIS = 5_000;
  /** The rows of the log that search indexes. */
  private static final String SEARCHABLE =
      "FROM messages m LEFT JOIN files f ON f.id = m.file_id WHERE " + SearchIndex.SEARCHABLE + " ";
  /** The next searchable rows and their lengths, to choose where a transaction ends. */
  static final String UNINDEXED_SQL =
      "SELECT m.seq, length(coalesce(f.name, m.body)) " + SEARCHABLE + "AND m.seq > ? ORDER BY m.seq LIMIT ?";
  /**
   * Indexes the searchable rows in a range inside SQLite, in one statement of fixed text: the
   * texts never cross into Java and back, and the statement stays prepared.
   */
  static final String INDEX_SQL =
      "INSERT INTO message_search(rowid, body) SELECT m.seq, coalesce(f.name, m.body) " + SEARCHABLE + "AND m.seq > ? AND m.seq <= ?";

  private final SqlDatabase database;
  /** The follower's two statements, kept prepared on the writer connection it borrows under the write lock. */
  private final WriterStatements statements;
  private final Thread thread;
  /** Guarded by this: the newest seq committed to the log, and the newest the follower has finished. */
  private long committedThrough;
  private long finishedThrough;
  private int searchesWaiting;
  private boolean closed;

  private SearchFollower(SqlDatabase database) {
    this.database = database;
    this.statements = new WriterStatements(database);
    this.thread = Thread.ofPlatform().name("parley-search-indexer").daemon().unstarted(this::run);
  }

  /** Brings the index up to the log's newest message, then follows new commits on its thread. */
  static SearchFollower start(SqlDatabase database) {
    SearchFollower follower = new SearchFollower(database);
    long newestCommitted = database.read(connection -> newest(connection, "SELECT max(seq) FROM messages"));
    follower.committedThrough = newestCommitted;
    try {
      while (follower.indexBatch()) {
        // Catching up with what was committed before a crash or a stop.
      }
      follower.finishedThrough = newestCommitted;
    } catch (RuntimeException e) {
      log.warn("indexing messages for search on start failed; the indexer retries shortly", e);
    }
    follower.thread.start();
    return follower;
  }

  private static long newest(Connection connection, String sql) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(sql); ResultSet rows = query.executeQuery()) {
      return rows.next() ? rows.getLong(1) : 0;
    }
  }

  /** The log now holds messages up to {@code seq}, committed. */
  synchronized void committed(long seq) {
    if (seq > committedThrough) {
      committedThrough = seq;
      notifyAll();
    }
  }

  /** Waits until everything committed before this call is searchable, or a few seconds passed. */
  synchronized void awaitIndexed() {
    long target = committedThrough;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SEARCH_WAIT_MILLIS);
    searchesWaiting++;
    notifyAll();
    try {
      long left;
      while (finishedThrough < target && !closed && (left = deadline - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      searchesWaiting--;
    }
  }

  private void run() {
    while (true) {
      long target;
      synchronized (this) {
        while (!closed && finishedThrough >= committedThrough) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        long gathered = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GATHER_MILLIS);
        long left;
        while (!closed && searchesWaiting == 0 && committedThrough - finishedThrough < ROWS_PER_TRANSACTION
            && (left = gathered - System.nanoTime()) > 0) {
          try {
            TimeUnit.NANOSECONDS.timedWait(this, left);
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        target = committedThrough;
      }
      try {
        while (indexBatch()) {
          // More than one transaction's worth behind: keep going.
        }
        synchronized (this) {
          finishedThrough = Math.max(finishedThrough, target);
          notifyAll();
        }
      } catch (RuntimeException e) {
        synchronized (this) {
          if (closed) {
            return;
          }
        }
        log.warn("indexing messages for search failed; retrying shortly", e);
      }
    }
  }

  /**
   * Indexes the next messages after the index's newest in one transaction; returns whether it
   * took a whole transaction's worth (rows or characters), so that more may be waiting. The
   * messages after the newest indexed one that are not indexed (entries, deleted messages) are
   * passed over again by the next batch's query, which costs a walk of the primary key only.
   */
  private boolean indexBatch() {
    return database.write(connection -> {
      long from = newest(connection, "SELECT rowid FROM message_search ORDER BY rowid DESC LIMIT 1");
      long through = from;
      int count = 0;
      long characters = 0;
      PreparedStatement query = statements.prepare(connection, UNINDEXED_SQL);
      try {
        query.setLong(1, from);
        query.setInt(2, ROWS_PER_TRANSACTION);
        try (ResultSet unindexed = query.executeQuery()) {
          while (characters < CHARACTERS_PER_TRANSACTION && unindexed.next()) {
            through = unindexed.getLong(1);
            count++;
            characters += unindexed.getLong(2);
          }
        }
      } finally {
        statements.release(query);
      }
      if (count > 0) {
        PreparedStatement index = statements.prepare(connection, INDEX_SQL);
        try {
          index.setLong(1, from);
          index.setLong(2, through);
          index.executeUpdate();
        } finally {
          statements.release(index);
        }
      }
      return count == ROWS_PER_TRANSACTION || characters >= CHARACTERS_PER_TRANSACTION;
    });
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
