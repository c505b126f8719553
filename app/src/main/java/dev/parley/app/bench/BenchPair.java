package dev.parley.app.bench;

import java.io.IOException;
import java.util.BitSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * One sender → receiver pair: the sender keeps at most {@code window} messages in flight, a
 * message counting as in flight until the receiver has it. Each message's text is {@code "<seq>
 * <System.nanoTime at send> xxx…"}, padded to the message size, so the receiver can time it and
 * check exactly-once, in-order arrival, whatever the target's protocol. The sender thread writes;
 * the two reader threads call the listeners; the receive-side state is guarded by this object's
 * lock, which the final {@link #snapshot} takes too.
 */
final class BenchPair {
  private final MessageConnection sender;
  private final MessageConnection receiver;
  private final Semaphore window;
  private final String padding;
  private final MessageBench.Phases phases;
  private final AtomicReference<String> failure;

  /** Written by the sender thread only; read by others once it has finished or to poll. */
  private volatile long sent;

  private final BitSet received = new BitSet();
  private final Histogram latencyMicros = new Histogram(3);
  private long unique;
  private long highestSeq = -1;
  private long duplicated;
  private long reordered;
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
    this.window = new Semaphore(window);
    this.padding = "x".repeat(sizeBytes);
    this.phases = phases;
    this.failure = failure;
  }

  MessageConnection sender() {
    return sender;
  }

  MessageConnection receiver() {
    return receiver;
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

  /** Sends until the measured window ends or the run fails. */
  void runSender() {
    long seq = 0;
    try {
      while (System.nanoTime() < phases.measureEndNanos() && failure.get() == null) {
        if (!window.tryAcquire(50, TimeUnit.MILLISECONDS)) {
          continue;
        }
        // Every free slot in one flush: with a window above 1 the acks come back in bursts, and a
        // write syscall per message would cost the generator the CPU the server needs.
        int burst = 1 + window.drainPermits();
        for (int i = 0; i < burst; i++) {
          sender.write(receiver.address(), seq, text(seq));
          seq++;
        }
        sender.flush();
        sent = seq;
      }
    } catch (IOException e) {
      failure.compareAndSet(null, "sending failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String text(long seq) {
    String head = seq + " " + System.nanoTime() + " ";
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

  private synchronized void onMessage(long seq, long sentAt, long now) {
    if (received.get((int) seq)) {
      duplicated++;
      return;
    }
    received.set((int) seq);
    unique++;
    if (seq < highestSeq) {
      reordered++;
    }
    highestSeq = Math.max(highestSeq, seq);
    if (now >= phases.warmupEndNanos() && now < phases.measureEndNanos()) {
      deliveredInWindow++;
      latencyMicros.recordValue(Math.max(0, (now - sentAt) / 1000));
    }
    window.release();
  }

  /** Whether everything sent so far has arrived. */
  synchronized boolean drained() {
    return unique >= sent;
  }

  synchronized Snapshot snapshot() {
    return new Snapshot(sent, unique, duplicated, reordered, deliveredInWindow, latencyMicros.copy());
  }

  /** The pair's counts at the end of a run. */
  record Snapshot(long sent, long unique, long duplicated, long reordered, long delivered, Histogram latencyMicros) {}
}
