package dev.parley.bench.load;

import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;

/** Slowloris: every few seconds, a few more bytes on each connection, until the attack's deadline. */
final class Trickle {
  static final Duration INTERVAL = Duration.ofSeconds(2);
  private static final int MAX_TICKS = 1_000;

  private Trickle() {}

  /** Writes {@code bytesAt.apply(tick)} to every connection the server has not ended, once per {@link #INTERVAL}. */
  static void untilDeadline(AttackRun run, List<AttackSocket> sockets, IntFunction<byte[]> bytesAt) throws InterruptedException {
    for (int tick = 0; tick < MAX_TICKS && System.nanoTime() < run.deadlineNanos(); tick++) {
      byte[] bytes = bytesAt.apply(tick);
      for (AttackSocket socket : sockets) {
        if (!socket.isEnded()) {
          socket.write(bytes, tick == 0 ? 1 : 0);
        }
      }
      long next = System.nanoTime() + INTERVAL.toNanos();
      while (System.nanoTime() < Math.min(next, run.deadlineNanos())) {
        Thread.sleep(50);
      }
    }
  }
}
