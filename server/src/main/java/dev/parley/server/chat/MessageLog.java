package dev.parley.server.chat;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.store.AppendResult;
import dev.parley.server.store.Delivery;
import dev.parley.server.store.MessageStore;
import dev.parley.server.store.NewMessage;
import dev.parley.server.store.ReadMark;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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
  /** Read cursors not yet committed, by "conversation:user". */
  private final Map<String, ReadMark> reads = new ConcurrentHashMap<>();
  private final Thread writer;
  private volatile boolean running = true;

  public MessageLog(MessageStore store, int batchMax, ServerMetrics metrics) {
    this.store = store;
    this.batchMax = batchMax;
    this.metrics = metrics;
    this.writer = Thread.ofPlatform().name("parley-message-writer").unstarted(this::run);
    writer.start();
  }

  /** Queues a message for the next commit; refuses with {@code rate_limited} when the queue is full. */
  public void append(Submission submission) {
    if (!running) {
      throw new ParleyException(ErrorCode.INTERNAL_ERROR, "server is shutting down");
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

  /** Moves a member's read cursor forward, in the next commit. */
  public void read(ReadMark mark) {
    reads.merge(mark.conversationId() + ":" + mark.userId(), mark, (old, now) -> now.n() > old.n() ? now : old);
  }

  /** A read cursor reported but perhaps not yet committed, or null. */
  public ReadMark pendingRead(long conversationId, long userId) {
    return reads.get(conversationId + ":" + userId);
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

  private void run() {
    List<Submission> batch = new ArrayList<>(batchMax);
    while (running || !queue.isEmpty() || !deliveries.isEmpty() || !reads.isEmpty()) {
      try {
        Submission first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, batchMax - 1);
        }
        List<Delivery> marks = pendingDeliveries();
        List<ReadMark> readMarks = List.copyOf(reads.values());
        if (!batch.isEmpty() || !marks.isEmpty() || !readMarks.isEmpty()) {
          commit(batch, marks, readMarks);
          // Only what was committed: a cursor moved meanwhile stays for the next commit.
          marks.forEach(mark -> deliveries.remove(mark.userId(), mark.seq()));
          readMarks.forEach(mark -> reads.remove(mark.conversationId() + ":" + mark.userId(), mark));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("message writer failed", e);
      } finally {
        batch.clear();
      }
    }
  }

  private void commit(List<Submission> batch, List<Delivery> marks, List<ReadMark> readMarks) {
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
    } catch (RuntimeException e) {
      log.error("commit of {} messages failed", accepted.size(), e);
      ParleyException failure = new ParleyException(ErrorCode.INTERNAL_ERROR, "message could not be stored");
      accepted.forEach(submission -> notifyFailed(submission, failure));
      return;
    }
    metrics.committed(accepted.size(), System.nanoTime() - started);
    for (int i = 0; i < accepted.size(); i++) {
      try {
        accepted.get(i).committed(results.get(i));
      } catch (RuntimeException e) {
        log.error("commit listener failed", e);
      }
    }
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

  private static void notifyFailed(Submission submission, ParleyException failure) {
    try {
      submission.failed(failure);
    } catch (RuntimeException e) {
      log.error("commit listener failed", e);
    }
  }
}
