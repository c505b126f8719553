package dev.parley.server.chat;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.store.AppendResult;
import dev.parley.server.store.Delivery;
import dev.parley.server.store.MessageStore;
import dev.parley.server.store.NewMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group-commit writer. One thread takes every message waiting, commits them in a single
 * durable transaction, then tells each caller in seq order, on that thread. Delivery marks ride
 * along in the next transaction: losing them in a crash only means a message is replayed again.
 */
public final class MessageLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MessageLog.class);
  private static final int QUEUE_CAPACITY = 65_536;

  /** Called on the writer thread, in seq order; must not block. */
  public interface CommitListener {
    void committed(AppendResult result);

    void failed(RuntimeException error);
  }

  private record Pending(NewMessage message, CommitListener listener) {}

  private final MessageStore store;
  private final int batchMax;
  private final ServerMetrics metrics;
  private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  /** Marks not yet committed; they stay visible to {@link #isMarkedDelivered} until they are. */
  private final Set<Delivery> deliveries = ConcurrentHashMap.newKeySet();
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
  public void append(NewMessage message, CommitListener listener) {
    if (!running) {
      throw new ParleyException(ErrorCode.INTERNAL_ERROR, "server is shutting down");
    }
    if (!queue.offer(new Pending(message, listener))) {
      throw ParleyException.rateLimited("server busy, message not accepted", 1);
    }
  }

  public void delivered(long userId, long seq) {
    deliveries.add(new Delivery(userId, seq));
  }

  /** Whether a delivery was reported but may not be committed yet; replay skips such messages. */
  public boolean isMarkedDelivered(long userId, long seq) {
    return deliveries.contains(new Delivery(userId, seq));
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
    List<Pending> batch = new ArrayList<>(batchMax);
    while (running || !queue.isEmpty() || !deliveries.isEmpty()) {
      try {
        Pending first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, batchMax - 1);
        }
        List<Delivery> marks = pendingDeliveries();
        if (!batch.isEmpty() || !marks.isEmpty()) {
          commit(batch, marks);
          marks.forEach(deliveries::remove);
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

  private void commit(List<Pending> batch, List<Delivery> marks) {
    List<NewMessage> messages = new ArrayList<>(batch.size());
    batch.forEach(p -> messages.add(p.message()));
    List<AppendResult> results;
    long started = System.nanoTime();
    try {
      results = store.appendAll(messages, marks);
    } catch (RuntimeException e) {
      log.error("commit of {} messages failed", batch.size(), e);
      ParleyException failure = new ParleyException(ErrorCode.INTERNAL_ERROR, "message could not be stored");
      batch.forEach(p -> notifyFailed(p.listener(), failure));
      return;
    }
    metrics.committed(batch.size(), System.nanoTime() - started);
    for (int i = 0; i < batch.size(); i++) {
      CommitListener listener = batch.get(i).listener();
      try {
        listener.committed(results.get(i));
      } catch (RuntimeException e) {
        log.error("commit listener failed", e);
      }
    }
  }

  private List<Delivery> pendingDeliveries() {
    List<Delivery> marks = new ArrayList<>();
    for (Delivery mark : deliveries) {
      if (marks.size() == batchMax * 4) {
        break;
      }
      marks.add(mark);
    }
    return marks;
  }

  private static void notifyFailed(CommitListener listener, RuntimeException failure) {
    try {
      listener.failed(failure);
    } catch (RuntimeException e) {
      log.error("commit listener failed", e);
    }
  }
}
