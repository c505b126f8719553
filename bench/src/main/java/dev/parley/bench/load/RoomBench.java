package dev.parley.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code bench rooms} workload against a {@link MessageTarget}: {@code members} connections
 * in one group conversation ({@link MessageTarget#gather}), the first {@code senders} of them
 * sending to it, every member receiving every other member's messages. It runs on {@link
 * MessageBench}'s machinery: the same connections, selector loops, clock and checks; member
 * {@code i} lives on loop {@code i % generatorThreads}.
 */
public final class RoomBench {
  /** What to run. */
  public record Config(MessageTarget target, int members, int senders, MessageLoad load) {
    public Config {
      if (members < 2 || senders < 1 || senders > members) {
        throw new IllegalArgumentException("a room needs at least 2 members, and 1 to " + members + " of them sending");
      }
      if (load.window() < 1 || load.generatorThreads() < 1) {
        throw new IllegalArgumentException("window and generator threads must be at least 1");
      }
      target.checkWorkload(members, load.sizeBytes());
    }
  }

  private RoomBench() {}

  /**
   * Runs the workload and reports it.
   *
   * @throws IllegalStateException when a connection is refused, gets an error, or is closed by
   *     the server, or the room cannot be made: the numbers of such a run would mean nothing
   */
  public static RoomBenchResult run(Config config) throws InterruptedException {
    AtomicReference<String> failure = new AtomicReference<>();
    List<MessageConnection> connections = new ArrayList<>();
    String runTag = MessageBench.newRunTag();
    List<LineLoop> loops = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      try {
        connections.addAll(MessageBench.connectAll(config.target(), config.members(), runTag, threads));
        String group = config.target().gather(connections, runTag);
        for (int i = 0; i < config.load().generatorThreads(); i++) {
          loops.add(new LineLoop("bench-loop-" + i));
        }
        MessageBench.Phases phases = MessageBench.Phases.startingNow(config.load());
        List<RoomSender> senders = new ArrayList<>(config.senders());
        for (int i = 0; i < config.senders(); i++) {
          senders.add(
              new RoomSender(
                  i,
                  connections.get(i),
                  loops.get(i % loops.size()),
                  group,
                  config.members() - 1,
                  config.load().window(),
                  config.load().sizeBytes(),
                  phases,
                  failure));
        }
        List<RoomReceiver> receivers = new ArrayList<>(config.members());
        for (int i = 0; i < config.members(); i++) {
          RoomReceiver receiver = new RoomReceiver(i, senders, phases, failure);
          receivers.add(receiver);
          MessageConnection connection = connections.get(i);
          LineLoop loop = loops.get(i % loops.size());
          loop.execute(() -> connection.start(loop, receiver.listener()));
        }
        // After every member's start on its loop: a loop runs its tasks in order.
        for (int i = 0; i < senders.size(); i++) {
          loops.get(i % loops.size()).execute(senders.get(i)::start);
        }
        MessageBench.awaitMeasured(phases, failure);
        MessageBench.awaitDrained(() -> senders.stream().allMatch(RoomSender::drained), failure);
        // Stopped loops touch nothing more, so the counts can be read here.
        loops.forEach(LineLoop::close);
        connections.forEach(MessageConnection::close);
        if (failure.get() != null) {
          throw new IllegalStateException(failure.get());
        }
        return result(config, senders, receivers);
      } finally {
        loops.forEach(LineLoop::close);
        connections.forEach(MessageConnection::close);
      }
    }
  }

  private static RoomBenchResult result(Config config, List<RoomSender> senders, List<RoomReceiver> receivers) {
    List<RoomReceiver.Snapshot> snapshots = receivers.stream().map(RoomReceiver::snapshot).toList();
    DeliveryTotals totals = DeliveryTotals.of(snapshots);
    long received = snapshots.stream().mapToLong(RoomReceiver.Snapshot::received).sum();
    long lost = snapshots.stream().mapToLong(RoomReceiver.Snapshot::lost).sum();
    int inexact = (int) snapshots.stream().filter(snapshot -> !snapshot.exact()).count();
    long sent = senders.stream().mapToLong(RoomSender::sent).sum();
    long sentInWindow = senders.stream().mapToLong(RoomSender::sentInWindow).sum();
    double seconds = config.load().duration().toNanos() / 1e9;
    return new RoomBenchResult(
        config.target().name(),
        config.members(),
        config.senders(),
        config.load().window(),
        config.load().sizeBytes(),
        seconds,
        sent,
        received,
        totals.delivered(),
        totals.delivered() / seconds,
        sentInWindow / seconds,
        totals.latencyMillis(),
        lost,
        totals.duplicated(),
        totals.reordered(),
        inexact);
  }
}
