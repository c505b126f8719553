package dev.parley.server.session;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frames one thread queues to many connections in one go, written as one task per event loop.
 * A group commit of a hundred messages to a room of a hundred is ten thousand frames and, queued
 * one by one, as many chances for a connection's event loop to wake, write a frame and flush it;
 * its senders' acks likewise go out one write each. Inside {@link #run} a connection that needs
 * draining is noted instead of scheduled, and when the work is done each event loop gets one task
 * that drains every one of its connections noted, each flushed once, so a connection gets all it
 * was sent in the batch as one write.
 *
 * <p>Nothing is reordered: a connection's frames stay in its own queue in the order they were
 * sent; only the moment its event loop is woken moves to the end of the batch. The batch is the
 * calling thread's: other threads' sends are not held back.
 */
public final class OutboundBatch {
  private static final Logger log = LoggerFactory.getLogger(OutboundBatch.class);
  private static final ThreadLocal<OutboundBatch> OPEN = new ThreadLocal<>();

  /** The drains to run, by the event loop they run on; event loops are compared by identity. */
  private final Map<Executor, List<Runnable>> drains = new IdentityHashMap<>();

  private OutboundBatch() {}

  /**
   * Runs {@code work}, then the drains it deferred, one task per event loop. A call inside a
   * batch already open on this thread joins it: the outer batch drains.
   */
  public static void run(Runnable work) {
    if (OPEN.get() != null) {
      work.run();
      return;
    }
    OutboundBatch batch = new OutboundBatch();
    OPEN.set(batch);
    try {
      work.run();
    } finally {
      OPEN.remove();
      batch.submit();
    }
  }

  /**
   * Defers a connection's drain to the end of this thread's open batch, to run on {@code loop};
   * false when no batch is open, and the caller schedules the drain itself.
   */
  public static boolean defer(Executor loop, Runnable drain) {
    OutboundBatch batch = OPEN.get();
    if (batch == null) {
      return false;
    }
    batch.drains.computeIfAbsent(loop, k -> new ArrayList<>()).add(drain);
    return true;
  }

  private void submit() {
    drains.forEach((loop, connections) -> {
      try {
        loop.execute(() -> connections.forEach(OutboundBatch::drain));
      } catch (RejectedExecutionException e) {
        // The event loop is shutting down, and its connections with it: nothing is left to write to.
        log.debug("event loop gone, {} connections not drained", connections.size());
      }
    });
  }

  /** One connection's failure must not keep the rest of its event loop's connections from their frames. */
  private static void drain(Runnable connection) {
    try {
      connection.run();
    } catch (RuntimeException e) {
      log.warn("draining a connection failed", e);
    }
  }
}
