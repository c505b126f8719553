package dev.parley.server.store;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** Limit cells of a node that is its database's only user (SQLite): a map in memory. Thread-safe. */
public final class LocalLimitCells implements LimitCells {
  private final ConcurrentHashMap<String, Cell> cells = new ConcurrentHashMap<>();

  @Override
  public Cell get(String key) {
    return cells.get(key);
  }

  @Override
  public Cell update(String key, UnaryOperator<Cell> update) {
    return cells.compute(key, (k, cell) -> update.apply(cell));
  }

  @Override
  public void forget(long nowMillis) {
    cells.values().removeIf(cell -> cell.forgetAtMillis() <= nowMillis);
  }

  @Override
  public boolean shared() {
    return false;
  }
}
