package dev.parley.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The {@code bench messages} workload against a {@link MessageTarget}: connection {@code 2i}
 * sends to connection {@code 2i+1}. Connections open in parallel on virtual threads (handshakes
 * block), then the pairs run on a few {@link LineLoop} selector threads, a pair's two connections
 * on the same one.
 */
public final class MessageBench {
  /** How long in-flight messages may take to arrive after sending stops before they count as lost. */
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
  /** Connections opened at once: enough to be quick, few enough not to overflow the accept backlog. */
  private static final int CONCURRENT_CONNECTS = 32;

  /** What to run. */
  public record Config(MessageTarget target, int pairs, MessageLoad load) {
    public Config {
      if (pairs < 1 || load.window() < 1 || load.generatorThreads() < 1) {
        throw new IllegalArgumentException("pairs, window and generator threads must be at least 1");
      }
      target.checkWorkload(2 * pairs, load.sizeBytes());
    }
  }

  /** The run's clock, in {@link System#nanoTime} units: warm-up until one, measured until the other. */
  record Phases(long warmupEndNanos, long measureEndNanos) {
    /** The load's warm-up from now, then its measured duration. */
    static Phases startingNow(MessageLoad load) {
      long start = System.nanoTime();
      return new Phases(start + load.warmup().toNanos(), start + load.warmup().plus(load.duration()).toNanos());
    }

    /** Whether senders stop filling their windows: the measured phase is over, or the run failed. */
    boolean sendingEnded(AtomicReference<String> failure) {
      return System.nanoTime() >= measureEndNanos || failure.get() != null;
    }
  }

  private MessageBench() {}

  /**
   * Runs the workload and reports it.
   *
   * @throws IllegalStateException when a connection is refused, gets an error, or is closed by
   *     the server: the numbers of such a run would mean nothing
   */
  public static MessageBenchResult run(Config config) throws InterruptedException {
    AtomicReference<String> failure = new AtomicReference<>();
    List<MessageConnection> connections = new ArrayList<>();
    String runTag = newRunTag();
    List<LineLoop> loops = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      try {
        connections.addAll(connectAll(config.target(), 2 * config.pairs(), runTag, threads));
        for (int i = 0; i < config.load().generatorThreads(); i++) {
          loops.add(new LineLoop("bench-loop-" + i));
        }
        Phases phases = Phases.startingNow(config.load());
        List<BenchPair> pairs = new ArrayList<>(config.pairs());
        for (int i = 0; i < config.pairs(); i++) {
          BenchPair pair =
              new BenchPair(
                  connections.get(2 * i),
                  connections.get(2 * i + 1),
                  config.load().window(),
                  config.load().sizeBytes(),
                  phases,
                  failure);
          pairs.add(pair);
          LineLoop loop = loops.get(i % loops.size());
          loop.execute(() -> pair.start(loop));
        }
        awaitMeasured(phases, failure);
        awaitDrained(() -> pairs.stream().allMatch(BenchPair::drained), failure);
        // Stopped loops touch nothing more, so the pairs' counts can be read here.
        loops.forEach(LineLoop::close);
        connections.forEach(MessageConnection::close);
        if (failure.get() != null) {
          throw new IllegalStateException(failure.get());
        }
        return result(config, pairs);
      } finally {
        loops.forEach(LineLoop::close);
        connections.forEach(MessageConnection::close);
      }
    }
  }

  /** New in every run, for what must not repeat across runs: send ids, nicks, room names. */
  static String newRunTag() {
    return Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36) + "-";
  }

  /** Opens connections {@code 0 … count-1} of {@code target} in parallel; all of them or none. */
  static List<MessageConnection> connectAll(MessageTarget target, int count, String runTag, ExecutorService threads)
      throws InterruptedException {
    Semaphore slots = new Semaphore(CONCURRENT_CONNECTS);
    List<Future<MessageConnection>> opening = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int index = i;
      opening.add(
          threads.submit(
              () -> {
                slots.acquire();
                try {
                  return target.open(index, runTag);
                } finally {
                  slots.release();
                }
              }));
    }
    List<MessageConnection> opened = new ArrayList<>();
    RuntimeException firstFailure = null;
    for (Future<MessageConnection> connection : opening) {
      try {
        opened.add(connection.get());
      } catch (ExecutionException e) {
        firstFailure = firstFailure != null ? firstFailure : asRuntime(e.getCause());
      }
    }
    if (firstFailure != null) {
      opened.forEach(MessageConnection::close);
      throw firstFailure;
    }
    return opened;
  }

  static void awaitMeasured(Phases phases, AtomicReference<String> failure) throws InterruptedException {
    while (failure.get() == null && System.nanoTime() < phases.measureEndNanos()) {
      Thread.sleep(10);
    }
  }

  /** Until {@code drained} says every message sent has arrived, or {@link #DRAIN_TIMEOUT}. */
  static void awaitDrained(BooleanSupplier drained, AtomicReference<String> failure) throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    while (failure.get() == null && System.nanoTime() < deadline && !drained.getAsBoolean()) {
      Thread.sleep(10);
    }
  }

  private static MessageBenchResult result(Config config, List<BenchPair> pairs) {
    List<BenchPair.Snapshot> snapshots = pairs.stream().map(BenchPair::snapshot).toList();
    DeliveryTotals totals = DeliveryTotals.of(snapshots);
    long sent = snapshots.stream().mapToLong(BenchPair.Snapshot::sent).sum();
    long unique = snapshots.stream().mapToLong(BenchPair.Snapshot::unique).sum();
    double seconds = config.load().duration().toNanos() / 1e9;
    return new MessageBenchResult(
        config.target().name(),
        config.pairs(),
        config.load().window(),
        config.load().sizeBytes(),
        seconds,
        sent,
        totals.delivered(),
        totals.delivered() / seconds,
        totals.latencyMillis(),
        sent - unique,
        totals.duplicated(),
        totals.reordered());
  }

  private static void await(Future<?> task) throws InterruptedException {
    try {
      task.get();
    } catch (ExecutionException e) {
      throw asRuntime(e.getCause());
    }
  }

  private static RuntimeException asRuntime(Throwable cause) {
    return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
  }
}
