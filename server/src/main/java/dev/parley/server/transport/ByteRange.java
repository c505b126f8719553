package dev.parley.server.transport;

/**
 * One satisfiable byte range of a representation of {@code size} bytes (RFC 9110 §14). A Range
 * header that cannot be parsed, or asks for several ranges, is ignored (the whole file is sent),
 * as the RFC allows; one that is valid but lies wholly past the end is {@code range_not_satisfiable}.
 */
record ByteRange(long first, long last) {
  /** The Range lies wholly past the end of a representation of {@code size} bytes. */
  static final class Unsatisfiable extends RuntimeException {
    final long size;

    Unsatisfiable(long size) {
      super("the file has " + size + " bytes", null, false, false);
      this.size = size;
    }
  }

  long length() {
    return last - first + 1;
  }

  /** The range to send, or null for the whole representation. */
  static ByteRange parse(String header, long size) {
    if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
      return null;
    }
    String spec = header.substring("bytes=".length()).strip();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    try {
      String start = spec.substring(0, dash).strip();
      String end = spec.substring(dash + 1).strip();
      if (start.isEmpty()) {
        long suffix = Long.parseLong(end);
        if (suffix < 0) {
          return null;
        }
        // "The last 0 bytes" is a valid range that selects nothing (RFC 9110 §14.1.3).
        if (suffix == 0 || size == 0) {
          throw unsatisfiable(size);
        }
        return new ByteRange(Math.max(0, size - suffix), size - 1);
      }
      long first = Long.parseLong(start);
      Long last = end.isEmpty() ? null : Long.parseLong(end);
      if (first < 0 || (last != null && last < first)) {
        return null;
      }
      if (first >= size) {
        throw unsatisfiable(size);
      }
      return new ByteRange(first, last == null ? size - 1 : Math.min(last, size - 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Unsatisfiable unsatisfiable(long size) {
    return new Unsatisfiable(size);
  }
}
