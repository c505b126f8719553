package dev.parley.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * One selector thread of the load generator, owning the connections attached to it. A thread per
 * connection cost the generator more CPU than the servers it measured (two thread hand-offs per
 * message on a 2-core machine it shares with them); here a read that brings many lines handles
 * them all, and every connection written to meanwhile is flushed once, after the whole batch.
 */
final class LineLoop implements AutoCloseable {
  /** How often the loop wakes up with nothing to do, so that the end of a run is noticed. */
  private static final long TICK_MILLIS = 5;

  private final Selector selector;
  private final Thread thread;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final List<BenchConnection> unflushed = new ArrayList<>();
  private volatile boolean running = true;

  LineLoop(String name) {
    try {
      selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector", e);
    }
    thread = Thread.ofPlatform().name(name).daemon().start(this::run);
  }

  /** Runs {@code task} on this loop's thread. */
  void execute(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  Selector selector() {
    return selector;
  }

  /** Called on the loop by a connection that has buffered output; it is flushed once per batch. */
  void flushLater(BenchConnection connection) {
    unflushed.add(connection);
  }

  /** Stops the loop; its connections stay open for their owner to close. */
  @Override
  public void close() {
    running = false;
    selector.wakeup();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      selector.close();
    } catch (IOException e) {
      // Nothing left to release.
    }
  }

  private void run() {
    while (running) {
      try {
        selector.select(TICK_MILLIS);
      } catch (IOException e) {
        throw new UncheckedIOException("selector failed", e);
      }
      Runnable task;
      while ((task = tasks.poll()) != null) {
        task.run();
      }
      for (SelectionKey key : selector.selectedKeys()) {
        BenchConnection connection = (BenchConnection) key.attachment();
        if (key.isValid() && key.isWritable()) {
          connection.onWritable();
        }
        if (key.isValid() && key.isReadable()) {
          connection.onReadable();
        }
      }
      selector.selectedKeys().clear();
      for (BenchConnection connection : unflushed) {
        connection.flushAttached();
      }
      unflushed.clear();
    }
  }
}
