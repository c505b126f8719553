package dev.parley.server.store;

import java.util.function.UnaryOperator;

/**
 * The small state the throttles and rate limits keep (failure counts, windows, buckets), one
 * {@link Cell} per key, where every node sees it: on PostgreSQL a table that all nodes update,
 * each change one short transaction on a locked row; on SQLite (one node) a map in memory. A
 * limit written against this holds cluster-wide. {@link StoreProvider} picks one with the
 * database. Calls on PostgreSQL block on it: run them off the event loops. Thread-safe.
 */
public interface LimitCells {
  /**
   * One limit's state; what the numbers mean is the limit's own.
   *
   * @param count a count, or a bucket's level in thousandths
   * @param sinceMillis when a window started, or the last failure or refill
   * @param untilMillis until when something is refused, or a bucket's theoretical arrival time
   * @param forgetAtMillis after this the cell is as good as absent and {@link #forget} drops it
   */
  record Cell(long count, long sinceMillis, long untilMillis, long forgetAtMillis) {}

  /** The cell, or null when there is none. */
  Cell get(String key);

  /**
   * Replaces the key's cell (null when there is none) with what {@code update} returns, atomically
   * against every other update of the key on any node; a null result removes the cell. When
   * {@code update} throws, nothing changes and the exception propagates. {@code update} may run
   * more than once (a race for a new key on PostgreSQL), so it must not have side effects.
   *
   * @return what {@code update} returned the last time it ran
   */
  Cell update(String key, UnaryOperator<Cell> update);

  /** Drops the cells whose {@code forgetAtMillis} has passed. */
  void forget(long nowMillis);

  /** Whether other nodes share these cells (so a node may hold part of a budget on lease); false on SQLite. */
  boolean shared();
}
