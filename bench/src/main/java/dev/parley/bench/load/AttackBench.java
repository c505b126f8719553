package dev.parley.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code bench attacks} workload: the adversarial cases of issue 12 one after the other
 * against a running server on this machine, each from its own loopback source address (127.0.0.2
 * and up, so that per-address limits tell it from the normal user on 127.0.0.1), while a {@link
 * NormalUser} logs in and sends messages and times them. A run starts with a row without attack,
 * the baseline.
 */
public final class AttackBench {
  /** What a normal user's login or message must stay under, whatever the attack. */
  public static final double LIMIT_MILLIS = 1000;
  /** How long an attack may take beyond its deadline (reading the answers, closing) before the run fails. */
  private static final Duration OVERRUN = Duration.ofSeconds(30);
  /** How long the normal user waits, after an attack, for the server to serve it in time again. */
  private static final Duration RECOVERY_MAX = Duration.ofSeconds(60);

  /**
   * What to run.
   *
   * @param http the server's HTTP address, on this machine
   * @param tcp its TCP line-protocol address
   * @param metrics where its {@code /metrics} is served, or null not to read it
   * @param prefix the bench users are PREFIX0..PREFIX4 (see {@link AttackUsers})
   * @param attackTime how long each attack runs
   * @param deadlineAttackTime how long the slowloris attacks run: past the server's deadlines
   * @param connections connections of the many-connection attacks (downloads, slowloris)
   * @param capConnections connections the per-address attack opens from one address
   */
  public record Config(
      URI http,
      InetSocketAddress tcp,
      URI metrics,
      String prefix,
      String password,
      Duration attackTime,
      Duration deadlineAttackTime,
      int connections,
      int capConnections) {
    public Config {
      if (attackTime.isNegative() || attackTime.isZero() || deadlineAttackTime.isNegative() || deadlineAttackTime.isZero()) {
        throw new IllegalArgumentException("attack times must be positive");
      }
      if (connections < 1 || capConnections < 1) {
        throw new IllegalArgumentException("connections must be at least 1");
      }
      if (!isLoopback(http.getHost()) || !isLoopback(tcp.getHostString())) {
        throw new IllegalArgumentException("attacks only run against a server on this machine (a loopback address), not " + http);
      }
    }

    InetSocketAddress httpAddress() {
      return new InetSocketAddress(http.getHost(), http.getPort());
    }
  }

  /** One attack: what it does, from which loopback address (127.0.0.N), and its workload. */
  private record Attack(String name, String sent, int address, boolean deadlineLong, Body body) {}

  @FunctionalInterface
  private interface Body {
    void run(AttackRun run) throws Exception;
  }

  private AttackBench() {}

  /** Runs every attack in turn and reports them. */
  public static AttackBenchResult run(Config config) throws InterruptedException {
    AttackUsers users = AttackUsers.logIn(config.http(), config.prefix(), config.password());
    String fileId;
    try {
      FrameAttacks.storeHugeMessages(users, config.tcp());
      fileId = HttpAttacks.uploadFile(users, config.http());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<AttackBenchResult.Row> rows = new ArrayList<>();
    try (NormalUser normal = new NormalUser(config.http(), users.normalSender(), users.normalReceiver(), config.password())) {
      for (Attack attack : attacks(config)) {
        rows.add(run(config, users, fileId, normal, attack));
      }
    }
    return new AttackBenchResult(LIMIT_MILLIS, rows);
  }

  private static List<Attack> attacks(Config config) {
    int many = config.connections();
    return List.of(
        new Attack("none", "nothing: the baseline", 1, false, run -> run.awaitDeadline()),
        new Attack("ping flood tcp", "1 TCP conn pipelining ping frames, reading nothing", 3, false, FrameAttacks::pingFlood),
        new Attack("ping flood ws", "1 WebSocket sending 125-byte pings, reading nothing", 3, false, HttpAttacks::webSocketPingFlood),
        new Attack(
            "download pipeline",
            many + " HTTP conns, each " + HttpAttacks.PIPELINED_DOWNLOADS + " pipelined GET /api/v1/files/<1 MiB>, reading nothing",
            4, false, run -> HttpAttacks.pipelinedDownloads(run, many)),
        new Attack(
            "slowloris http",
            many + " HTTP conns sending a request head 1 byte per " + Trickle.INTERVAL.toSeconds() + " s",
            5, true, run -> HttpAttacks.slowHeaders(run, many)),
        new Attack(
            "slowloris tcp",
            many + " TCP conns never logging in, a ping each per " + Trickle.INTERVAL.toSeconds() + " s",
            6, true, run -> FrameAttacks.neverAuthenticate(run, many)),
        new Attack("register taken", "1 TCP conn pipelining register for the normal user's name", 7, false, FrameAttacks::registerTakenName),
        new Attack("register flood", "1 TCP conn registering 10 new names per 100 ms", 8, false, FrameAttacks::registerNewNames),
        new Attack(
            "password guessing",
            FrameAttacks.GUESSING_CONNECTIONS + " TCP conns, 10 wrong passwords for the normal user per 100 ms each",
            9, false, FrameAttacks::guessPasswords),
        new Attack("message flood", "1 user sending as fast as the server answers", 10, false, FrameAttacks::messageFlood),
        new Attack(
            "upload limits",
            "1 user: " + HttpAttacks.BIG_UPLOADS + " x 3.4 GiB uploads (past the 10 GiB quota), then "
                + HttpAttacks.CONCURRENT_UPLOADS + " concurrent POSTs, deleted, repeated",
            12, false, HttpAttacks::uploadsPastTheLimits),
        new Attack(
            "connections per address",
            config.capConnections() + " TCP conns from one address, held",
            11, false, run -> FrameAttacks.holdConnections(run, config.capConnections())),
        // Last: the replies it asked for keep the database readers busy for seconds after it.
        new Attack(
            "history pipeline",
            FrameAttacks.HISTORY_CONNECTIONS + " TCP conns, each pipelining " + FrameAttacks.HISTORY_REQUESTS
                + " history of 100 msgs x 10,000 emoji, reading nothing",
            2, false, FrameAttacks::historyPipeline));
  }

  private static AttackBenchResult.Row run(Config config, AttackUsers users, String fileId, NormalUser normal, Attack attack)
      throws InterruptedException {
    Duration length = attack.deadlineLong() ? config.deadlineAttackTime() : config.attackTime();
    AttackTally tally = new AttackTally();
    InetAddress from = loopback(attack.address());
    long start = System.nanoTime();
    AttackRun run = new AttackRun(config, users, fileId, tally, from, start + length.toNanos());
    ServerSampler sampler = ServerSampler.start(config.metrics());
    NormalUserResult normalResult;
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<?> attacking =
          threads.submit(
              () -> {
                attack.body().run(run);
                return null;
              });
      normalResult = normal.measure(run.deadlineNanos());
      await(attack, attacking, run.deadlineNanos() + OVERRUN.toNanos() - System.nanoTime(), tally);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    // The next attack starts on a server that serves the normal user in time again, and how long that took is a figure too.
    double recoverySeconds = normal.recover(LIMIT_MILLIS, RECOVERY_MAX);
    return new AttackBenchResult.Row(
        attack.name(),
        attack.sent(),
        from.getHostAddress(),
        seconds,
        tally.requestsSent(),
        tally.bytesSent(),
        tally.answers(),
        normalResult,
        normalResult.within(LIMIT_MILLIS),
        recoverySeconds,
        sampler.stop());
  }

  /**
   * Waits for the attack's end. One that is still stuck in a connect or a read long after its
   * deadline (a server too busy to answer) is interrupted, which closes its sockets, and counted.
   */
  private static void await(Attack attack, Future<?> attacking, long nanos, AttackTally tally) throws InterruptedException {
    try {
      attacking.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("attack '" + attack.name() + "' failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      attacking.cancel(true);
      tally.count("attack cut " + OVERRUN.toSeconds() + " s after its deadline");
    }
  }

  private static InetAddress loopback(int last) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
