package dev.parley.bench.load;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * A sender's window of messages in flight: the slots free to fill, and how many messages it has
 * sent. Filled and freed on the sender's loop only; {@link #sent} may be read from any thread.
 */
final class SendWindow {
  private final MessageBench.Phases phases;
  private final AtomicReference<String> failure;
  private int freeSlots;
  /** Written on the loop only; volatile for the readers of {@link #sent}. */
  private volatile long sent;

  SendWindow(int window, MessageBench.Phases phases, AtomicReference<String> failure) {
    this.freeSlots = window;
    this.phases = phases;
    this.failure = failure;
  }

  /** Slots whose messages have arrived, to be filled again. */
  void free(int slots) {
    freeSlots += slots;
  }

  /**
   * Every free slot at once, {@code write} getting seq after seq, until the measured phase ends or
   * the run fails: with a window above 1 arrivals come in bursts, and the loop sends what they
   * freed in one write.
   */
  void fill(LongConsumer write) {
    if (phases.sendingEnded(failure)) {
      return;
    }
    long seq = sent;
    for (; freeSlots > 0; freeSlots--) {
      write.accept(seq);
      seq++;
    }
    sent = seq;
  }

  long sent() {
    return sent;
  }
}
