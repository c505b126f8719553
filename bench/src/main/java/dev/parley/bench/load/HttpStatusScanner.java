package dev.parley.bench.load;

import java.nio.charset.StandardCharsets;

/**
 * Counts HTTP/1.1 status lines in a response stream fed in chunks, as {@code http <status>}: the
 * attacks read pipelined responses without parsing them, and their bodies never contain one.
 */
final class HttpStatusScanner {
  private static final String STATUS = "HTTP/1.1 ";
  /** A status line's start split across two chunks is found in the tail kept from the first. */
  private static final int TAIL = STATUS.length() + 3;

  private final AttackTally tally;
  private String tail = "";

  HttpStatusScanner(AttackTally tally) {
    this.tally = tally;
  }

  void scan(byte[] buffer, int length) {
    // ISO-8859-1 maps each byte to one char, so binary bodies cannot shift the offsets.
    String text = tail + new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
    int from = 0;
    int at;
    while ((at = text.indexOf(STATUS, from)) >= 0 && at + TAIL <= text.length()) {
      tally.count("http " + text.substring(at + STATUS.length(), at + TAIL));
      from = at + TAIL;
    }
    // A status line starting earlier was complete and is counted; one starting later may not be.
    tail = text.substring(Math.max(from, text.length() - TAIL + 1));
  }
}
