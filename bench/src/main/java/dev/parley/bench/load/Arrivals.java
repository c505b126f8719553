package dev.parley.bench.load;

import java.util.BitSet;

/**
 * The exactly-once, in-order check of one stream of numbered messages as one receiver sees it:
 * which numbers arrived, how many twice, how many after a higher one. Not thread-safe: a stream
 * is checked on its receiver's loop.
 */
final class Arrivals {
  private final BitSet received = new BitSet();
  private long highestSeq = -1;
  private long unique;
  private long duplicated;
  private long reordered;

  /** Records message {@code seq}; true the first time it arrives. */
  boolean record(long seq) {
    if (received.get((int) seq)) {
      duplicated++;
      return false;
    }
    received.set((int) seq);
    unique++;
    if (seq < highestSeq) {
      reordered++;
    }
    highestSeq = Math.max(highestSeq, seq);
    return true;
  }

  long unique() {
    return unique;
  }

  long duplicated() {
    return duplicated;
  }

  long reordered() {
    return reordered;
  }
}
