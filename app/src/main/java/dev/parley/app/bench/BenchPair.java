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
 * <System.nanoTime at send> xxx…"}, so the receiver can time it and check exactly-once, in-order
 * arrival. The sender thread writes; the two reader threads call {@code on…Line}; the receive-side
 * state is guarded by this object's lock, which the final {@link #snapshot} takes too.
 */
final class BenchPair {
  private static final String TEXT_FIELD = "\"text\":\"";

  private final BenchConnection sender;
  private final BenchConnection receiver;
  private final String receiverName;
  private final String runTag;
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
      BenchConnection sender,
      BenchConnection receiver,
      String receiverName,
      String runTag,
      int window,
      int sizeBytes,
      MessageBench.Phases phases,
      AtomicReference<String> failure) {
    this.sender = sender;
    this.receiver = receiver;
    this.receiverName = receiverName;
    this.runTag = runTag;
    this.window = new Semaphore(window);
    this.padding = "x".repeat(sizeBytes);
    this.phases = phases;
    this.failure = failure;
  }

  BenchConnection sender() {
    return sender;
  }

  BenchConnection receiver() {
    return receiver;
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
          sender.write(sendFrame(seq++));
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

  private String sendFrame(long seq) {
    String head = seq + " " + System.nanoTime() + " ";
    String text = head.length() >= padding.length() ? head : head + padding.substring(head.length());
    return "{\"type\":\"send\",\"id\":\"" + runTag + seq + "\",\"to\":\"" + receiverName + "\",\"text\":\"" + text + "\"}\n";
  }

  /** Acks need nothing; anything but an ack means the run is broken. */
  void onSenderLine(String line) {
    if (!line.contains("\"type\":\"ack\"")) {
      failure.compareAndSet(null, "sender got: " + line);
    }
  }

  void onReceiverLine(String line) {
    long now = System.nanoTime();
    // A substring scan instead of a JSON parser: the generator shares the CPU with the server,
    // and our own texts hold only digits, spaces and 'x', so they need no unescaping.
    int text = line.indexOf(TEXT_FIELD);
    if (!line.contains("\"type\":\"message\"") || text < 0) {
      failure.compareAndSet(null, "receiver got: " + line);
      return;
    }
    int seqStart = text + TEXT_FIELD.length();
    int seqEnd = line.indexOf(' ', seqStart);
    int nanosEnd = line.indexOf(' ', seqEnd + 1);
    long seq = Long.parseLong(line, seqStart, seqEnd, 10);
    long sentAt = Long.parseLong(line, seqEnd + 1, nanosEnd, 10);
    onMessage(seq, sentAt, now);
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

  void onClosed(boolean byServer) {
    if (byServer) {
      failure.compareAndSet(null, "the server closed a connection");
    }
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
