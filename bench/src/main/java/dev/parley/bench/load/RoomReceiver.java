package dev.parley.bench.load;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * One member of {@code bench rooms} as a receiver: it checks each sender's messages for
 * exactly-once, in-order arrival with {@link Arrivals}, times them, and tells the sender when it
 * has one. Runs on the member's {@link LineLoop}; its counts are read once the loop has stopped.
 */
final class RoomReceiver {
  private final int index;
  private final List<RoomSender> senders;
  private final MessageBench.Phases phases;
  private final AtomicReference<String> failure;
  private final Arrivals[] fromSender;
  private final Histogram latencyMicros = new Histogram(3);
  private long deliveredInWindow;

  RoomReceiver(int index, List<RoomSender> senders, MessageBench.Phases phases, AtomicReference<String> failure) {
    this.index = index;
    this.senders = senders;
    this.phases = phases;
    this.failure = failure;
    this.fromSender = new Arrivals[senders.size()];
    for (int i = 0; i < fromSender.length; i++) {
      fromSender[i] = new Arrivals();
    }
  }

  /** What the member's connection hears: the room's messages; anything else ends the run. */
  MessageConnection.Listener listener() {
    return new MessageConnection.Listener() {
      @Override
      public void onMessage(String line, int textStart) {
        onReceived(line, textStart, System.nanoTime());
      }

      @Override
      public void onUnexpected(String line) {
        failure.compareAndSet(null, "member " + index + " got: " + line);
      }

      @Override
      public void onClosed(boolean byServer) {
        if (byServer) {
          failure.compareAndSet(null, "the server closed member " + index + "'s connection");
        }
      }
    };
  }

  /** Parses {@code "<sender> <seq> <nanos> "} at the start of the text. */
  private void onReceived(String line, int textStart, long now) {
    int senderEnd = line.indexOf(' ', textStart);
    int seqEnd = senderEnd < 0 ? -1 : line.indexOf(' ', senderEnd + 1);
    int nanosEnd = seqEnd < 0 ? -1 : line.indexOf(' ', seqEnd + 1);
    if (nanosEnd < 0) {
      failure.compareAndSet(null, "member " + index + " got a text that is not the bench's: " + line);
      return;
    }
    int sender = Integer.parseInt(line, textStart, senderEnd, 10);
    if (sender == index || sender >= senders.size()) {
      failure.compareAndSet(null, "member " + index + " got a message of member " + sender + ": " + line);
      return;
    }
    long seq = Long.parseLong(line, senderEnd + 1, seqEnd, 10);
    long sentAt = Long.parseLong(line, seqEnd + 1, nanosEnd, 10);
    if (!fromSender[sender].record(seq)) {
      return;
    }
    if (now >= phases.warmupEndNanos() && now < phases.measureEndNanos()) {
      deliveredInWindow++;
      latencyMicros.recordValue(Math.max(0, (now - sentAt) / 1000));
    }
    senders.get(sender).arrived(seq);
  }

  /** This receiver's counts, once every sender has stopped and the loops with them. */
  Snapshot snapshot() {
    long received = 0;
    long lost = 0;
    long duplicated = 0;
    long reordered = 0;
    for (int sender = 0; sender < fromSender.length; sender++) {
      received += fromSender[sender].unique();
      if (sender != index) {
        lost += senders.get(sender).sent() - fromSender[sender].unique();
      }
      duplicated += fromSender[sender].duplicated();
      reordered += fromSender[sender].reordered();
    }
    return new Snapshot(received, lost, duplicated, reordered, deliveredInWindow, latencyMicros);
  }

  /** One receiver's counts at the end of a run. */
  record Snapshot(long received, long lost, long duplicated, long reordered, long delivered, Histogram latencyMicros)
      implements DeliveryTotals.Counts {
    boolean exact() {
      return lost == 0 && duplicated == 0 && reordered == 0;
    }
  }
}
