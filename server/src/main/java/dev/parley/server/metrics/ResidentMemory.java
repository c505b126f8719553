package dev.parley.server.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident set size, from Linux's {@code /proc/self/status}: the memory the
 * benchmarks divide by connections, heap and native (Netty's direct buffers, thread stacks) alike.
 */
final class ResidentMemory {
  private static final Path STATUS = Path.of("/proc/self/status");

  private ResidentMemory() {}

  /** Bytes, or NaN where there is no {@code /proc} (not Linux). */
  static double bytes() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmRSS:")) {
          // "VmRSS:	  123456 kB"
          String kib = line.substring("VmRSS:".length()).replace("kB", "").strip();
          return Long.parseLong(kib) * 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }
}
