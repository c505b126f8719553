package dev.parley.server.chat;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.session.OutboundBatch;
import dev.parley.server.store.AppendResult;
import dev.parley.server.store.Delivery;
import dev.parley.server.store.MessageStore;
import dev.parley.server.store.NewMessage;
import dev.parley.server.store.ReadMark;
import dev.parley.server.store.StorageFullException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group-commit writer. One thread takes every submission waiting, prepares each (in queue
 * order, so seq order is submission order), commits them in a single durable transaction, then
 * tells each submitter in seq order, on that thread. Delivery and read cursors ride along in the
 * next transaction, one update per user (or member) however many messages moved it: losing them
 * in a crash only means a message is replayed again, or shows as unread again.
 *
 * <p>The writer outlives any failure of a batch, {@link Error}s such as running out of memory
 * included: each submission of the failed batch still gets exactly one answer, and the next batch
 * is taken. Should the thread die nonetheless, a new one takes over. {@link #problem} says when the
 * writer is down or stuck, for {@code /healthz}.
 */
public final class MessageLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MessageLog.class);
  private static final int QUEUE_CAPACITY = 65_536;

  /** One message to store. Every method is called on the writer thread and must not block for long. */
  public interface Submission {
    /** Builds the message to append; may throw a {@link ParleyException} to refuse it. */
    NewMessage prepare();

    void committed(AppendResult result);

    void failed(ParleyException error);
  }

  private final MessageStore store;
  private final int batchMax;
  private final ServerMetrics metrics;
  private final BlockingQueue<Submission> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  /** Delivery cursors not yet committed, by user; visible to {@link #isMarkedDelivered} until they are. */
  private final Map<Long, Long> deliveries = new ConcurrentHashMap<>();
  /**
   * A read cursor not yet committed, and what completes once a commit holds it (or a later
   * cursor of the same member, which then completes it too).
   */
  private record PendingRead(ReadMark mark, CompletableFuture<Void> stored) {}

  /** Read cursors not yet committed, by member; guarded by itself. */
  private final Map<ReadMark.Member, PendingRead> reads = new HashMap<>();
  /** Submissions of the batch in hand that have had their answer; writer thread only. */
  private final Set<Submission> answered = Collections.newSetFromMap(new IdentityHashMap<>());
  private volatile Thread writer;
  private volatile boolean running = true;
  /** {@link System#nanoTime} when the batch in hand was taken, or 0 while the writer waits for work. */
  private volatile long batchStartedNanos;
  /** Set from before a batch is appended until its entries are handed to delivery; see {@link #committing}. */
  private volatile boolean committing;

  public MessageLog(MessageStore store, int batchMax, ServerMetrics metrics) {
    this.store = store;
    this.batchMax = batchMax;
    this.metrics = metrics;
    startWriter();
  }

  /** Queues a message for the next commit; refuses with {@code rate_limited} when the queue is full. */
  public void append(Submission submission) {
    if (!running) {
      throw new ParleyException(ErrorCode.INTERNAL_ERROR, "server is shutting down");
    }
    if (!writer.isAlive()) {
      throw new ParleyException(ErrorCode.INTERNAL_ERROR, "the message writer is down");
    }
    if (!queue.offer(submission)) {
      throw ParleyException.rateLimited("server busy, message not accepted", 1);
    }
  }

  /** Everything of the user's up to {@code seq} reached one of their connections. */
  public void delivered(long userId, long seq) {
    deliveries.merge(userId, seq, Math::max);
  }

  /** Whether a delivery was reported but may not be committed yet; replay skips such messages. */
  public boolean isMarkedDelivered(long userId, long seq) {
    Long cursor = deliveries.get(userId);
    return cursor != null && seq <= cursor;
  }

  /**
   * Moves a member's read cursor forward in the next commit; completes once a commit holds it, so
   * that whoever is told it moved finds it stored. Many reads share one commit.
   */
  public CompletableFuture<Void> read(ReadMark mark) {
    ReadMark.Member key = mark.member();
    synchronized (reads) {
      PendingRead pending = reads.get(key);
      if (pending != null && pending.mark().n() >= mark.n()) {
        return pending.stored();
      }
      CompletableFuture<Void> stored = new CompletableFuture<>();
      if (pending != null) {
        // The older cursor may already be in a commit under way; if not, the newer one covers it.
        stored.thenRun(() -> pending.stored().complete(null));
      }
      reads.put(key, new PendingRead(mark, stored));
      return stored;
    }
  }

  /** A read cursor reported but perhaps not yet committed, or null. */
  public ReadMark pendingRead(long conversationId, long userId) {
    synchronized (reads) {
      PendingRead pending = reads.get(new ReadMark.Member(conversationId, userId));
      return pending == null ? null : pending.mark();
    }
  }

  private boolean readsPending() {
    synchronized (reads) {
      return !reads.isEmpty();
    }
  }

  /**
   * What is wrong with the writer, or null when nothing is: its thread is gone, or one batch has
   * been in hand for longer than {@code stallLimit} (a commit that hangs). Any thread.
   */
  public String problem(Duration stallLimit) {
    if (running && !writer.isAlive()) {
      return "the message writer thread is dead";
    }
    long started = batchStartedNanos;
    if (started != 0) {
      long busyNanos = System.nanoTime() - started;
      if (busyNanos > stallLimit.toNanos()) {
        return "the message writer has been stuck on one batch for " + TimeUnit.NANOSECONDS.toSeconds(busyNanos) + " s";
      }
    }
    return null;
  }

  /** Commits everything already queued, then stops the writer. */
  @Override
  public void close() {
    running = false;
    try {
      writer.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void startWriter() {
    writer = Thread.ofPlatform().name("parley-message-writer").uncaughtExceptionHandler(this::writerDied).unstarted(this::run);
    writer.start();
  }

  /** Only a failure while handling a failure gets here (the loop catches the rest): take over. */
  private void writerDied(Thread thread, Throwable error) {
    batchStartedNanos = 0;
    log.error("the message writer died; starting a new one", error);
    if (running) {
      startWriter();
    }
  }

  private void run() {
    List<Submission> batch = new ArrayList<>(batchMax);
    while (running || !queue.isEmpty() || !deliveries.isEmpty() || readsPending()) {
      try {
        Submission first = queue.poll(50, TimeUnit.MILLISECONDS);
        batchStartedNanos = System.nanoTime();
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, batchMax - 1);
        }
        List<Delivery> marks = pendingDeliveries();
        List<PendingRead> readMarks;
        synchronized (reads) {
          readMarks = List.copyOf(reads.values());
        }
        if ((!batch.isEmpty() || !marks.isEmpty() || !readMarks.isEmpty())
            && commit(batch, marks, readMarks.stream().map(PendingRead::mark).toList())) {
          // Only what was committed: a cursor moved meanwhile stays for the next commit.
          marks.forEach(mark -> deliveries.remove(mark.userId(), mark.seq()));
          synchronized (reads) {
            readMarks.forEach(read -> reads.remove(read.mark().member(), read));
          }
          readMarks.forEach(read -> read.stored().complete(null));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException | Error e) {
        // Out of memory included: the store rolled the batch back, so its unanswered senders are
        // told it failed and may retry, and the writer carries on with the next batch.
        log.error("message writer failed", e);
        ParleyException failure = new ParleyException(ErrorCode.INTERNAL_ERROR, "message could not be stored");
        batch.stream().filter(submission -> !answered.contains(submission)).forEach(submission -> notifyFailed(submission, failure));
      } finally {
        batch.clear();
        answered.clear();
        batchStartedNanos = 0;
      }
    }
  }

  /**
   * Whether this writer may hold entries that are committed but not yet handed to delivery. A node
   * on a bus reads a gap in the log back from the database only while this is false, since a gap
   * may be its own commit, whose origin connection must not get its own message as a delivery.
   */
  public boolean committing() {
    return committing;
  }

  /** Returns whether the batch (and with it the cursors) was committed. */
  private boolean commit(List<Submission> batch, List<Delivery> marks, List<ReadMark> readMarks) {
    committing = true;
    try {
      return commitAndHandOver(batch, marks, readMarks);
    } finally {
      committing = false;
    }
  }

  private boolean commitAndHandOver(List<Submission> batch, List<Delivery> marks, List<ReadMark> readMarks) {
    List<Submission> accepted = new ArrayList<>(batch.size());
    List<NewMessage> messages = new ArrayList<>(batch.size());
    for (Submission submission : batch) {
      try {
        messages.add(submission.prepare());
        accepted.add(submission);
      } catch (ParleyException e) {
        notifyFailed(submission, e);
      }
    }
    List<AppendResult> results;
    long started = System.nanoTime();
    try {
      results = store.appendAll(messages, marks, readMarks);
    } catch (StorageFullException e) {
      // The store logs the start and end of a full disk once; a trace per batch would flood the log.
      ParleyException failure = new ParleyException(ErrorCode.STORAGE_FULL, "the server's storage is full; message not stored");
      accepted.forEach(submission -> notifyFailed(submission, failure));
      return false;
    } catch (RuntimeException e) {
      log.error("commit of {} messages failed", accepted.size(), e);
      ParleyException failure = new ParleyException(ErrorCode.INTERNAL_ERROR, "message could not be stored");
      accepted.forEach(submission -> notifyFailed(submission, failure));
      return false;
    }
    metrics.committed(accepted.size(), System.nanoTime() - started);
    // The batch's deliveries and acks go out together: one write and one flush per connection.
    OutboundBatch.run(() -> {
      for (int i = 0; i < accepted.size(); i++) {
        answered.add(accepted.get(i));
        try {
          accepted.get(i).committed(results.get(i));
        } catch (RuntimeException e) {
          log.error("commit listener failed", e);
        }
      }
    });
    return true;
  }

  private List<Delivery> pendingDeliveries() {
    List<Delivery> marks = new ArrayList<>();
    for (Map.Entry<Long, Long> cursor : deliveries.entrySet()) {
      if (marks.size() == batchMax * 4) {
        break;
      }
      marks.add(new Delivery(cursor.getKey(), cursor.getValue()));
    }
    return marks;
  }

  private void notifyFailed(Submission submission, ParleyException failure) {
    answered.add(submission);
    try {
      submission.failed(failure);
    } catch (RuntimeException e) {
      log.error("commit listener failed", e);
    }
  }
}
