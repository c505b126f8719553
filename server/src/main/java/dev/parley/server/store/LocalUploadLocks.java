package dev.parley.server.store;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Upload locks of a node that is the database's only user (SQLite): a set in memory. Thread-safe. */
public final class LocalUploadLocks implements UploadLocks {
  private final Set<String> held = ConcurrentHashMap.newKeySet();

  @Override
  public boolean tryLock(String uploadId) {
    return held.add(uploadId);
  }

  @Override
  public void unlock(String uploadId) {
    held.remove(uploadId);
  }
}
