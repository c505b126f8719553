package dev.parley.server.config;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The default of {@code max-connections}: every connection costs one file descriptor, so the
 * server refuses connections cleanly before the process runs out of descriptors, rather than
 * failing in {@code accept} (or, worse, in the database or a file transfer) with "Too many open
 * files".
 */
final class FileDescriptors {
  /**
   * Descriptors kept back from connections: the JVM's jars and libraries, the event loops'
   * epoll and event descriptors, SQLite's database, WAL and shared-memory files per database
   * connection, and one file per upload or download in progress. An idle server was measured
   * using 31; the rest is room for transfers.
   */
  static final int RESERVE = 512;
  /** Where the limit is unknown (not a Unix JVM): a limit that is common and safe. */
  private static final int UNKNOWN_LIMIT_CONNECTIONS = 1024;

  private FileDescriptors() {}

  static int defaultMaxConnections() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof UnixOperatingSystemMXBean unix) {
      return fromLimit(unix.getMaxFileDescriptorCount());
    }
    return UNKNOWN_LIMIT_CONNECTIONS;
  }

  /**
   * The limit minus the reserve; under a small limit (a test's {@code ulimit -n 200}) the
   * reserve shrinks to a third of it, so that some connections are still allowed.
   */
  static int fromLimit(long maxDescriptors) {
    long reserve = Math.min(RESERVE, maxDescriptors / 3);
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxDescriptors - reserve));
  }
}
