package dev.parley.bench.load;

import dev.parley.client.ParleyClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * The {@code bench logins} workload: {@code count} real logins ({@code POST /api/v1/login} with
 * username and password, so each one runs Argon2 on the server), at most {@code concurrency} at
 * once, round-robin over the users. Only failed logins count towards the server's login throttle,
 * so many successful ones from one address are not slowed by it.
 */
public final class LoginBench {
  /** What to run; {@code usernames} all have {@code password}. */
  public record Config(URI http, List<String> usernames, String password, int count, int concurrency, Argon2Parameters argon2) {
    public Config {
      if (count < 1 || concurrency < 1) {
        throw new IllegalArgumentException("count and concurrency must be at least 1");
      }
      if (usernames.isEmpty()) {
        throw new IllegalArgumentException("no users to log in as");
      }
      usernames = List.copyOf(usernames);
    }
  }

  private LoginBench() {}

  /** Runs the logins and reports them; a refused or failed login is counted, not thrown. */
  public static LoginBenchResult run(Config config) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    List<Histogram> latencies = new ArrayList<>();
    List<Future<Long>> workers = new ArrayList<>();
    try (ParleyClient client = new ParleyClient(config.http());
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      long start = System.nanoTime();
      for (int w = 0; w < config.concurrency(); w++) {
        Histogram latency = new Histogram(3);
        latencies.add(latency);
        workers.add(threads.submit(() -> logins(client, config, next, latency, firstFailure)));
      }
      long failed = 0;
      for (Future<Long> worker : workers) {
        failed += await(worker);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Histogram all = new Histogram(3);
      latencies.forEach(all::add);
      return new LoginBenchResult(
          config.count(),
          config.concurrency(),
          seconds,
          config.count() - failed,
          failed,
          (config.count() - failed) / seconds,
          new LoginBenchResult.Latency(
              all.getValueAtPercentile(50) / 1000.0, all.getValueAtPercentile(99) / 1000.0, all.getMaxValue() / 1000.0),
          firstFailure.get(),
          config.argon2());
    }
  }

  /** One worker: takes the next login until all are taken; returns how many of its logins failed. */
  private static long logins(
      ParleyClient client, Config config, AtomicInteger next, Histogram latencyMicros, AtomicReference<String> firstFailure) {
    long failed = 0;
    int i;
    while ((i = next.getAndIncrement()) < config.count()) {
      String username = config.usernames().get(i % config.usernames().size());
      long start = System.nanoTime();
      try {
        client.login(username, config.password());
        latencyMicros.recordValue((System.nanoTime() - start) / 1000);
      } catch (RuntimeException e) {
        failed++;
        firstFailure.compareAndSet(null, username + ": " + e.getMessage());
      }
    }
    return failed;
  }

  private static long await(Future<Long> worker) throws InterruptedException {
    try {
      return worker.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }
}
