package dev.parley.bench.load;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * A sending member of {@code bench rooms}: at most {@code window} messages in flight, a message
 * counting as in flight until every other member has it, as {@link BenchPair} counts it for one
 * receiver (IRC has no acknowledgement; Parley's {@code ack}s pass unused). A message's text is
 * {@code "<sender> <seq> <System.nanoTime at send> xxx…"}, padded to the message size.
 *
 * <p>Writes happen on the sender's {@link LineLoop}; {@link #arrived} is called on the receivers'
 * loops, and the last receiver of a message hands the freed slot back to the sender's loop. At
 * most {@code window} messages are in flight, so message {@code seq} and {@code seq + window}
 * never share their slot of {@link #awaiting}.
 */
final class RoomSender {
  private final int index;
  private final MessageConnection connection;
  private final LineLoop loop;
  private final String group;
  private final int receivers;
  private final int window;
  private final String padding;
  private final MessageBench.Phases phases;

  /** Receivers still to get each message in flight, at {@code seq % window}. */
  private final AtomicIntegerArray awaiting;
  private final AtomicInteger freed = new AtomicInteger();
  private final AtomicBoolean refillQueued = new AtomicBoolean();
  private final AtomicLong complete = new AtomicLong();
  /** Its {@link SendWindow#sent} is read by {@link #drained} and the receivers' loss count. */
  private final SendWindow slots;
  private final LongConsumer send = this::sendMessage;
  /** On the loop only. */
  private long sentInWindow;

  RoomSender(
      int index,
      MessageConnection connection,
      LineLoop loop,
      String group,
      int receivers,
      int window,
      int sizeBytes,
      MessageBench.Phases phases,
      AtomicReference<String> failure) {
    this.index = index;
    this.connection = connection;
    this.loop = loop;
    this.group = group;
    this.receivers = receivers;
    this.window = window;
    this.slots = new SendWindow(window, phases, failure);
    this.awaiting = new AtomicIntegerArray(window);
    this.padding = "x".repeat(sizeBytes);
    this.phases = phases;
  }

  /** On the loop, once the member's connection is started: fills the window. */
  void start() {
    slots.fill(send);
  }

  /** On any receiver's loop: a receiver got message {@code seq} for the first time. */
  void arrived(long seq) {
    if (awaiting.decrementAndGet((int) (seq % window)) > 0) {
      return;
    }
    complete.incrementAndGet();
    freed.incrementAndGet();
    if (refillQueued.compareAndSet(false, true)) {
      loop.execute(this::refill);
    }
  }

  private void refill() {
    refillQueued.set(false);
    slots.free(freed.getAndSet(0));
    slots.fill(send);
  }

  /** Message {@code seq}, awaited by every receiver from now on. */
  private void sendMessage(long seq) {
    awaiting.set((int) (seq % window), receivers);
    long now = System.nanoTime();
    connection.writeToGroup(group, seq, BenchPair.padded(index + " " + seq + " " + now + " ", padding));
    if (now >= phases.warmupEndNanos()) {
      sentInWindow++;
    }
  }

  long sent() {
    return slots.sent();
  }

  /** Whether every receiver has everything sent so far. */
  boolean drained() {
    return complete.get() >= slots.sent();
  }

  /** Messages sent in the measured phase; read once the loop has stopped. */
  long sentInWindow() {
    return sentInWindow;
  }
}
