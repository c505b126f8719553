package dev.parley.server.files;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.metrics.SecurityLog;
import dev.parley.server.store.FileStore;
import dev.parley.server.store.User;
import java.time.Clock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * What one user may keep on disk ({@code max-storage-bytes-per-user}), counted from the store on
 * each check, so completing, expiring, terminating and deleting all count without bookkeeping of
 * their own. A creation is checked and written in one store transaction under a lock of the user's
 * that holds across nodes ({@code FileStore.createUploadWithin}); the checks of a PATCH that
 * declares or defers a length run under this node's lock of the user. Thread-safe.
 */
final class StorageQuota {
  /** Locks by user id modulo the stripe count: bounded memory, and rare contention between users. */
  private static final int STRIPES = 64;

  private final FileStore store;
  private final long maxBytes;
  private final Clock clock;
  private final SecurityLog securityLog;
  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

  StorageQuota(FileStore store, long maxBytes, Clock clock, SecurityLog securityLog) {
    this.store = store;
    this.maxBytes = maxBytes;
    this.clock = clock;
    this.securityLog = securityLog;
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  /** Runs {@code work} holding the user's lock; blocks while another request of the user holds it. */
  <T> T underUserLock(long userId, Supplier<T> work) {
    ReentrantLock lock = locks[Math.floorMod(Long.hashCode(userId), STRIPES)];
    lock.lock();
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }

  /** Throws {@code quota_exceeded} if {@code moreBytes} would take the user past the quota; blocks on the store. */
  void require(User owner, long moreBytes) {
    long used = store.storageUsed(owner.id(), clock.millis());
    if (used + moreBytes > maxBytes) {
      throw refusal(owner, used, moreBytes);
    }
  }

  /** The {@code quota_exceeded} error for a user who holds {@code used} bytes and asked for {@code moreBytes}; logged. */
  ParleyException refusal(User owner, long used, long moreBytes) {
    securityLog.quotaExceeded(owner.username(), used, moreBytes);
    return new ParleyException(
        ErrorCode.QUOTA_EXCEEDED,
        "your files and uploads may take " + maxBytes + " bytes; " + used + " are in use and this needs " + moreBytes
            + " more: delete files or uploads first");
  }
}
