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
import org.HdrHistogram.Histogram;

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
  public record Config(
      MessageTarget target,
      int pairs,
      int window,
      int sizeBytes,
      Duration warmup,
      Duration duration,
      int generatorThreads) {
    public Config {
      if (pairs < 1 || window < 1 || generatorThreads < 1) {
        throw new IllegalArgumentException("pairs, window and generator threads must be at least 1");
      }
      target.checkWorkload(2 * pairs, sizeBytes);
    }
  }

  /** The run's clock, in {@link System#nanoTime} units: warm-up until one, measured until the other. */
  record Phases(long warmupEndNanos, long measureEndNanos) {}

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
        for (int i = 0; i < config.generatorThreads(); i++) {
          loops.add(new LineLoop("bench-loop-" + i));
        }
        long start = System.nanoTime();
        Phases phases = new Phases(start + config.warmup().toNanos(), start + config.warmup().plus(config.duration()).toNanos());
        List<BenchPair> pairs = new ArrayList<>(config.pairs());
        for (int i = 0; i < config.pairs(); i++) {
          BenchPair pair =
              new BenchPair(
                  connections.get(2 * i),
                  connections.get(2 * i + 1),
                  config.window(),
                  config.sizeBytes(),
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
    Histogram latency = new Histogram(3);
    long sent = 0;
    long unique = 0;
    long duplicated = 0;
    long reordered = 0;
    long delivered = 0;
    for (BenchPair pair : pairs) {
      BenchPair.Snapshot snapshot = pair.snapshot();
      sent += snapshot.sent();
      unique += snapshot.unique();
      duplicated += snapshot.duplicated();
      reordered += snapshot.reordered();
      delivered += snapshot.delivered();
      latency.add(snapshot.latencyMicros());
    }
    double seconds = config.duration().toNanos() / 1e9;
    return new MessageBenchResult(
        config.target().name(),
        config.pairs(),
        config.window(),
        config.sizeBytes(),
        seconds,
        sent,
        delivered,
        delivered / seconds,
        MessageBenchResult.Latency.ofMicros(latency),
        sent - unique,
        duplicated,
        reordered);
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
