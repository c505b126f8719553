package dev.parley.bench.load;

import dev.parley.protocol.MalformedFrameException;
import dev.parley.protocol.ServerFrame;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;

/**
 * The attacks on the TCP line protocol (issue 12): each floods or holds connections until the
 * run's deadline, then reads what the server answered. Every loop is bounded in count as well as
 * by the deadline.
 */
final class FrameAttacks {
  /** Connections pipelining {@code history} at once. */
  static final int HISTORY_CONNECTIONS = 4;
  /** The repro: a page of 100 messages of 10,000 emoji each, about 4 MB per reply. */
  static final int HUGE_MESSAGES = 100;
  static final int EMOJI_PER_MESSAGE = 10_000;
  /** {@code history} requests per connection: the repro took ~150 (each reply is ~4 MB). */
  static final int HISTORY_REQUESTS = 200;
  static final int GUESSING_CONNECTIONS = 4;
  /** Frames per write in the floods: one syscall per frame would make the bench, not the server, the bottleneck. */
  private static final int BATCH = 100;
  private static final int MAX_WRITES = 100_000;
  /** The paced floods (registrations, guesses) write a batch this often, as a script would. */
  private static final int PACE_MILLIS = 100;
  private static final int MAX_PACED_WRITES = 1_000;
  static final String ATTACKER_PASSWORD = "attack-password-1";

  private FrameAttacks() {}

  /**
   * Before {@link #historyPipeline}: the historian's conversation with itself gets its huge
   * messages, over TCP: the line codec writes emoji as UTF-8, where the HTTP client's JSON escapes
   * each as two {@code \\u} escapes and a message would pass the 64 KiB body limit.
   */
  static void storeHugeMessages(AttackUsers users, InetSocketAddress tcp) throws IOException {
    String historian = users.historian();
    String text = "\uD83D\uDE00".repeat(EMOJI_PER_MESSAGE);
    String tag = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    AttackSocket socket = AttackSocket.connect(tcp, InetAddress.getLoopbackAddress(), new AttackTally());
    if (socket == null) {
      throw new IOException("cannot connect to " + tcp);
    }
    try (socket) {
      socket.writeLine(ParleyLineCodec.auth(users.token(historian)));
      long deadline = System.nanoTime() + NormalUser.STEP_TIMEOUT.toNanos() * 4;
      int acked = 0;
      for (int i = 0; i < HUGE_MESSAGES; i++) {
        socket.writeLine(ParleyLineCodec.send("huge-" + tag + "-" + i, historian, text));
      }
      String line;
      while (acked < HUGE_MESSAGES && (line = socket.readLine(deadline)) != null) {
        acked += isAck(line) ? 1 : 0;
      }
      if (acked < HUGE_MESSAGES) {
        throw new IOException("the server answered " + acked + " of " + HUGE_MESSAGES + " huge messages in time");
      }
    }
  }

  /** Pipelines {@code history} pages of huge messages on a few connections, reading nothing. */
  static void historyPipeline(AttackRun run) throws InterruptedException {
    String historian = run.users().historian();
    byte[] batch = batch(ParleyLineCodec.history(historian, HUGE_MESSAGES));
    List<AttackSocket> sockets = new ArrayList<>();
    for (int i = 0; i < HISTORY_CONNECTIONS; i++) {
      AttackSocket socket = run.tcpAs(historian);
      if (socket != null) {
        sockets.add(socket);
      }
    }
    for (AttackSocket socket : sockets) {
      socket.floodInBackground(n -> batch, BATCH, 0, run.deadlineNanos(), HISTORY_REQUESTS / BATCH);
    }
    run.awaitDeadline();
    long drainDeadline = run.drainDeadline();
    run.drain(sockets, socket -> socket.readFrames(drainDeadline, 256L << 20));
  }

  /** Pipelines {@code ping} frames on one authenticated connection, reading nothing. */
  static void pingFlood(AttackRun run) throws InterruptedException {
    AttackSocket socket = run.tcpAs(run.users().pinger());
    if (socket == null) {
      return;
    }
    byte[] batch = batch(ParleyLineCodec.ping(null));
    socket.floodInBackground(n -> batch, BATCH, 0, run.deadlineNanos(), MAX_WRITES);
    run.awaitDeadline();
    long drainDeadline = run.drainDeadline();
    run.drain(List.of(socket), s -> s.readFrames(drainDeadline, 256L << 20));
  }

  /** Many connections that never log in, each sending a {@code ping} every few seconds. */
  static void neverAuthenticate(AttackRun run, int connections) throws InterruptedException {
    List<AttackSocket> sockets = new ArrayList<>();
    for (int i = 0; i < connections && System.nanoTime() < run.deadlineNanos(); i++) {
      AttackSocket socket = run.tcp();
      if (socket != null) {
        sockets.add(socket);
      }
    }
    byte[] ping = (ParleyLineCodec.ping(null) + "\n").getBytes(StandardCharsets.UTF_8);
    Trickle.untilDeadline(run, sockets, tick -> ping);
    long drainDeadline = run.drainDeadline();
    run.drain(sockets, s -> s.readFrames(drainDeadline, 1L << 20));
  }

  /** Pipelines {@code register} frames for a name that is taken, reading the answers. */
  static void registerTakenName(AttackRun run) throws InterruptedException {
    byte[] batch = batch(ParleyLineCodec.register(run.users().normalSender(), ATTACKER_PASSWORD));
    floodReading(run, run.tcp(), n -> batch, BATCH, 0, MAX_WRITES);
  }

  /** Registers new names as fast as the server answers, from one address. */
  static void registerNewNames(AttackRun run) throws InterruptedException {
    String tag = "r" + Long.toString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFFFL, 36);
    floodReading(
        run,
        run.tcp(),
        n -> {
          StringBuilder frames = new StringBuilder();
          for (int i = 0; i < 10; i++) {
            frames.append(ParleyLineCodec.register(tag + "n" + (n * 10 + i), ATTACKER_PASSWORD)).append('\n');
          }
          return frames.toString().getBytes(StandardCharsets.UTF_8);
        },
        10,
        PACE_MILLIS,
        MAX_PACED_WRITES);
  }

  /** Wrong passwords for the normal user, on a few connections from one other address. */
  static void guessPasswords(AttackRun run) throws InterruptedException {
    List<Thread> guessers = new ArrayList<>();
    for (int c = 0; c < GUESSING_CONNECTIONS; c++) {
      int connection = c;
      guessers.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      floodReading(
                          run,
                          run.tcp(),
                          n -> batchOf(10, i -> ParleyLineCodec.login(run.users().normalSender(), "guess-" + connection + "-" + n + "-" + i)),
                          10,
                          PACE_MILLIS,
                          MAX_PACED_WRITES);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    for (Thread guesser : guessers) {
      guesser.join();
    }
  }

  /** One registered user sends as fast as it can, reading the answers. */
  static void messageFlood(AttackRun run) throws InterruptedException {
    String flooder = run.users().flooder();
    String tag = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    floodReading(
        run,
        run.tcpAs(flooder),
        n -> batchOf(BATCH, i -> ParleyLineCodec.send("flood-" + tag + "-" + n + "-" + i, flooder, "flood")),
        BATCH,
        0,
        MAX_WRITES);
  }

  /** Opens {@code connections} connections from one address and holds them, never logging in. */
  static void holdConnections(AttackRun run, int connections) throws InterruptedException {
    List<AttackSocket> sockets = new ArrayList<>();
    for (int i = 0; i < connections && System.nanoTime() < run.deadlineNanos(); i++) {
      AttackSocket socket = run.tcp();
      if (socket != null) {
        sockets.add(socket);
      }
    }
    run.tally().sent(sockets.size(), 0);
    run.awaitDeadline();
    long drainDeadline = System.nanoTime() + AttackRun.DRAIN.toNanos() / 4;
    run.drain(sockets, s -> s.readFrames(drainDeadline, 1L << 20));
  }

  /**
   * Writes {@code next} on {@code socket} (none when it was refused) until the deadline, pausing
   * {@code pauseMillis} between writes, while reading every answer.
   */
  private static void floodReading(
      AttackRun run, AttackSocket socket, IntFunction<byte[]> next, int requestsPerWrite, int pauseMillis, int maxWrites)
      throws InterruptedException {
    if (socket == null) {
      return;
    }
    Thread writer = socket.floodInBackground(next, requestsPerWrite, pauseMillis, run.deadlineNanos(), maxWrites);
    socket.readFrames(run.deadlineNanos(), Long.MAX_VALUE);
    writer.join(AttackRun.DRAIN.toMillis());
    socket.readFrames(run.drainDeadline(), Long.MAX_VALUE);
    socket.close();
  }

  private static boolean isAck(String line) {
    try {
      return ParleyLineCodec.decode(line) instanceof ServerFrame.Ack;
    } catch (MalformedFrameException e) {
      return false;
    }
  }

  private static byte[] batch(String frame) {
    return batchOf(BATCH, i -> frame);
  }

  private static byte[] batchOf(int count, IntFunction<String> frame) {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < count; i++) {
      lines.append(frame.apply(i)).append('\n');
    }
    return lines.toString().getBytes(StandardCharsets.UTF_8);
  }
}
