package dev.parley.server.config;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The default of {@code max-connections}: every connection costs one file descriptor, so the
 * server refuses connections cleanly before the process runs out of descriptors, rather than
 * failing in {@code accept} (or, worse, in the database or a file transfer) with "Too many open
 * files". Counted from the descriptors still free when the settings are read, which the JVM's
 * jars (one, or a whole test classpath) have already taken some of.
 */
final class FileDescriptors {
  /**
   * Descriptors kept back from connections, of those still free: the event loops' epoll, event
   * and timer descriptors (15), SQLite's database and WAL files per database connection (a
   * dozen), one file per upload or download in progress, and the JVM's later needs. An idle
   * server was measured using 31 in all.
   */
  static final int RESERVE = 512;
  /** Where the limit is unknown (not a Unix JVM): a limit that is common and safe. */
  private static final int UNKNOWN_LIMIT_CONNECTIONS = 1024;

  private FileDescriptors() {}

  static int defaultMaxConnections() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof UnixOperatingSystemMXBean unix) {
      return fromLimit(unix.getMaxFileDescriptorCount(), unix.getOpenFileDescriptorCount());
    }
    return UNKNOWN_LIMIT_CONNECTIONS;
  }

  /**
   * The descriptors still free minus the reserve; where few are free (a test's {@code ulimit -n
   * 200}) the reserve shrinks to a third of them, so that some connections are still allowed.
   */
  static int fromLimit(long maxDescriptors, long openDescriptors) {
    long free = maxDescriptors - openDescriptors;
    long reserve = Math.min(RESERVE, free / 3);
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, free - reserve));
  }
}
