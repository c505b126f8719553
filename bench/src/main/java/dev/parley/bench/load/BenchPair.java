package dev.parley.bench.load;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.HdrHistogram.Histogram;

/**
 * One sender → receiver pair: the sender keeps at most {@code window} messages in flight, a
 * message counting as in flight until the receiver has it. Each message's text is {@code "<seq>
 * <System.nanoTime at send> xxx…"}, padded to the message size, so the receiver can time it and
 * check exactly-once, in-order arrival, whatever the target's protocol. Both connections live on
 * one {@link LineLoop}, whose thread runs everything here: each arrival frees a slot, and the
 * freed slots are refilled at once, until the measured phase ends. {@link #drained} may be asked
 * from any thread; {@link #snapshot} once the loop has stopped.
 */
final class BenchPair {
  private final MessageConnection sender;
  private final MessageConnection receiver;
  private final SendWindow slots;
  private final LongConsumer send = this::sendMessage;
  private final String padding;
  private final MessageBench.Phases phases;
  private final AtomicReference<String> failure;

  /** Written on the loop only; volatile for {@link #drained}. */
  private volatile long unique;

  private final Arrivals arrivals = new Arrivals();
  private final Histogram latencyMicros = new Histogram(3);
  private long deliveredInWindow;

  BenchPair(
      MessageConnection sender,
      MessageConnection receiver,
      int window,
      int sizeBytes,
      MessageBench.Phases phases,
      AtomicReference<String> failure) {
    this.sender = sender;
    this.receiver = receiver;
    this.slots = new SendWindow(window, phases, failure);
    this.padding = "x".repeat(sizeBytes);
    this.phases = phases;
    this.failure = failure;
  }

  /**
   * What a reader hears: the receiver's, the pair's messages; the sender's, nothing but acks,
   * which its connection has passed over.
   */
  MessageConnection.Listener listener(boolean receiving) {
    String side = receiving ? "receiver" : "sender";
    return new MessageConnection.Listener() {
      @Override
      public void onMessage(String line, int textStart) {
        if (receiving) {
          onReceived(line, textStart, System.nanoTime());
        } else {
          failure.compareAndSet(null, "sender got a message: " + line);
        }
      }

      @Override
      public void onUnexpected(String line) {
        failure.compareAndSet(null, side + " got: " + line);
      }

      @Override
      public void onClosed(boolean byServer) {
        if (byServer) {
          failure.compareAndSet(null, "the server closed a " + side + "'s connection");
        }
      }
    };
  }

  /** On the loop: connects the pair's listeners and fills the window. */
  void start(LineLoop loop) {
    sender.start(loop, listener(false));
    receiver.start(loop, listener(true));
    slots.fill(send);
  }

  private void sendMessage(long seq) {
    sender.write(receiver.address(), seq, text(seq));
  }

  private String text(long seq) {
    return padded(seq + " " + System.nanoTime() + " ", padding);
  }

  /** {@code head}, then as much of {@code padding} as makes it the message size. */
  static String padded(String head, String padding) {
    return head.length() >= padding.length() ? head : head + padding.substring(head.length());
  }

  private void onReceived(String line, int textStart, long now) {
    int seqEnd = line.indexOf(' ', textStart);
    int nanosEnd = seqEnd < 0 ? -1 : line.indexOf(' ', seqEnd + 1);
    if (nanosEnd < 0) {
      failure.compareAndSet(null, "receiver got a text that is not the bench's: " + line);
      return;
    }
    onMessage(Long.parseLong(line, textStart, seqEnd, 10), Long.parseLong(line, seqEnd + 1, nanosEnd, 10), now);
  }

  private void onMessage(long seq, long sentAt, long now) {
    if (!arrivals.record(seq)) {
      return;
    }
    unique = arrivals.unique();
    if (now >= phases.warmupEndNanos() && now < phases.measureEndNanos()) {
      deliveredInWindow++;
      latencyMicros.recordValue(Math.max(0, (now - sentAt) / 1000));
    }
    slots.free(1);
    slots.fill(send);
  }

  /** Whether everything sent so far has arrived. */
  boolean drained() {
    return unique >= slots.sent();
  }

  Snapshot snapshot() {
    return new Snapshot(slots.sent(), unique, arrivals.duplicated(), arrivals.reordered(), deliveredInWindow, latencyMicros.copy());
  }

  /** The pair's counts at the end of a run. */
  record Snapshot(long sent, long unique, long duplicated, long reordered, long delivered, Histogram latencyMicros)
      implements DeliveryTotals.Counts {}
}
