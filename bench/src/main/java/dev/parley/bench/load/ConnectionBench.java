package dev.parley.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The {@code bench connections} workload: N authenticated connections spread over K loopback
 * source addresses and P generator processes, held with pings. One process can hold fewer than
 * its open-files limit (20,000 here, its own descriptors included), so the connections of a
 * bigger run go to child processes, each a {@link ConnectionWorker} in {@code parley bench
 * connections-worker}, which report their {@link WorkerResult} as one JSON line and keep their
 * connections open until their stdin closes: the server's memory is read while all are held.
 */
public final class ConnectionBench {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /**
   * What to run.
   *
   * @param http the server's HTTP address, for the WebSocket endpoint; may be null for TCP
   * @param admin the server's admin listener, whose {@code /metrics} tells its memory; null in a
   *     generator child, which reports none
   * @param tokens the token file, which child processes read too
   * @param sources how many source addresses, 127.0.0.2 onwards
   */
  public record Config(
      String transport,
      InetSocketAddress tcp,
      URI http,
      URI admin,
      Path tokens,
      int count,
      int sources,
      int processes,
      Duration hold,
      Duration pingInterval) {
    public Config {
      if (count < 1 || sources < 1 || sources > 250 || processes < 1 || processes > count) {
        throw new IllegalArgumentException("need count >= 1, 1 <= sources <= 250 and 1 <= processes <= count");
      }
    }

    List<InetAddress> sourceAddresses() {
      List<InetAddress> addresses = new ArrayList<>();
      for (int i = 0; i < sources; i++) {
        try {
          addresses.add(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i)}));
        } catch (UnknownHostException e) {
          throw new IllegalStateException(e);
        }
      }
      return addresses;
    }

    URI webSocket() {
      return http == null ? null : http.resolve("/api/v1/ws");
    }
  }

  private ConnectionBench() {}

  public static ConnectionBenchResult run(Config config) throws InterruptedException {
    List<BenchUser> users = BenchUser.readAll(config.tokens());
    if (users.size() < config.count()) {
      throw new IllegalArgumentException(config.count() + " connections need as many users; the token file has " + users.size());
    }
    ServerMemory before = config.admin() == null ? null : ServerMemory.scrape(config.admin());
    List<WorkerResult> results = new ArrayList<>();
    ServerMemory after;
    if (config.processes() == 1) {
      try (ConnectionWorker worker = new ConnectionWorker(workerConfig(config, users.subList(0, config.count())))) {
        results.add(worker.run());
        after = config.admin() == null ? null : ServerMemory.scrape(config.admin());
      }
    } else {
      List<Process> children = new ArrayList<>();
      try {
        for (int p = 0; p < config.processes(); p++) {
          children.add(spawn(config, p));
        }
        for (Process child : children) {
          results.add(readResult(child));
        }
        after = config.admin() == null ? null : ServerMemory.scrape(config.admin());
      } finally {
        children.forEach(ConnectionBench::stop);
      }
    }
    return aggregate(config, results, before, after);
  }

  /** What one generator process runs for its share of the users. */
  public static ConnectionWorker.Config workerConfig(Config config, List<BenchUser> users) {
    return new ConnectionWorker.Config(
        config.transport(), config.tcp(), config.webSocket(), users, config.sourceAddresses(), config.hold(), config.pingInterval());
  }

  /** Child {@code p} takes the p-th share of the users, and the same source addresses. */
  private static Process spawn(Config config, int p) {
    int from = (int) ((long) config.count() * p / config.processes());
    int to = (int) ((long) config.count() * (p + 1) / config.processes());
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.parley.bench.BenchMain");
    command.addAll(List.of("bench", "connections-worker", "--transport", config.transport()));
    command.addAll(List.of("--tokens", config.tokens().toString(), "--skip", Integer.toString(from)));
    command.addAll(List.of("--count", Integer.toString(to - from), "--sources", Integer.toString(config.sources())));
    command.addAll(List.of("--hold", Double.toString(config.hold().toMillis() / 1000.0)));
    command.addAll(List.of("--ping-interval", Double.toString(config.pingInterval().toMillis() / 1000.0)));
    if (config.http() != null) {
      command.addAll(List.of("--server", config.http().toString()));
    }
    if (config.tcp() != null) {
      command.addAll(List.of("--tcp-port", Integer.toString(config.tcp().getPort())));
    }
    try {
      return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a generator process", e);
    }
  }

  private static WorkerResult readResult(Process child) {
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      if (line == null) {
        throw new IllegalStateException("a generator process ended without a result (exit " + child.waitFor() + ")");
      }
      return JSON.readValue(line, WorkerResult.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read a generator process's result", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Closing its stdin tells a child to close its connections and exit. */
  private static void stop(Process child) {
    try {
      child.getOutputStream().close();
      if (!child.waitFor(30, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    } catch (IOException e) {
      child.destroyForcibly();
    } catch (InterruptedException e) {
      child.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static ConnectionBenchResult aggregate(
      Config config, List<WorkerResult> results, ServerMemory before, ServerMemory after) {
    long connected = 0;
    long pings = 0;
    long pongs = 0;
    long closed = 0;
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    Map<String, Long> failures = new TreeMap<>();
    for (WorkerResult r : results) {
      connected += r.connected();
      pings += r.pingsSent();
      pongs += r.pongsReceived();
      closed += r.closedByServer();
      start = Math.min(start, r.startMillis());
      end = Math.max(end, r.lastConnectedMillis());
      r.failures().forEach((reason, n) -> failures.merge(reason, n, Long::sum));
    }
    double seconds = Math.max(end - start, 1) / 1000.0;
    ConnectionBenchResult.Memory memory = null;
    if (before != null && after != null && connected > 0) {
      memory = new ConnectionBenchResult.Memory(
          before,
          after,
          (double) (after.rssBytes() - before.rssBytes()) / connected,
          (double) (after.heapUsedBytes() - before.heapUsedBytes()) / connected);
    }
    return new ConnectionBenchResult(
        config.transport(),
        config.count(),
        config.sources(),
        config.processes(),
        config.hold().toMillis() / 1000.0,
        connected,
        seconds,
        connected / seconds,
        failures,
        pings,
        pongs,
        closed,
        memory);
  }
}
