package dev.parley.bench.load;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * One attack in progress: its clients connect from {@code from}, count into {@code tally}, and
 * stop attacking at {@code deadlineNanos}; what they read afterwards is read by {@link #drain}.
 * {@code fileId} is the file the download attack fetches.
 */
record AttackRun(
    AttackBench.Config config, AttackUsers users, String fileId, AttackTally tally, InetAddress from, long deadlineNanos) {
  /** How long the server's answers are read once an attack stops. */
  static final Duration DRAIN = Duration.ofSeconds(2);

  /** A raw TCP connection to the line protocol, or null when refused. */
  AttackSocket tcp() {
    return AttackSocket.connect(config.tcp(), from, tally);
  }

  /** A TCP connection authenticated as {@code username}, or null (counted) when refused or not welcomed in time. */
  AttackSocket tcpAs(String username) {
    AttackSocket socket = tcp();
    if (socket == null) {
      return null;
    }
    socket.writeLine(ParleyLineCodec.auth(users.token(username)));
    String welcome = socket.readLine(System.nanoTime() + NormalUser.STEP_TIMEOUT.toNanos());
    if (welcome == null) {
      tally.count("no welcome in " + NormalUser.STEP_TIMEOUT.toSeconds() + " s");
      socket.close();
      return null;
    }
    return socket;
  }

  /** {@code count} raw connections to the HTTP port; the refused ones are counted and left out. */
  List<AttackSocket> httpConnections(int count) {
    List<AttackSocket> sockets = new ArrayList<>();
    for (int i = 0; i < count && System.nanoTime() < deadlineNanos; i++) {
      AttackSocket socket = AttackSocket.connect(config.httpAddress(), from, tally);
      if (socket != null) {
        sockets.add(socket);
      }
    }
    return sockets;
  }

  /** Waits for the attack's deadline. */
  void awaitDeadline() throws InterruptedException {
    long left;
    while ((left = deadlineNanos - System.nanoTime()) > 0) {
      Thread.sleep(Math.min(100, left / 1_000_000 + 1));
    }
  }

  /**
   * After the deadline: has every socket read what the server sent (each on its own thread, for
   * at most {@link #DRAIN}), counts those still open as {@code open at end}, and closes them.
   */
  void drain(List<AttackSocket> sockets, Predicate<AttackSocket> read) throws InterruptedException {
    List<Thread> readers = new ArrayList<>();
    for (AttackSocket socket : sockets) {
      readers.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    if (read.test(socket)) {
                      tally.count("open at end");
                    }
                    socket.close();
                  }));
    }
    for (Thread reader : readers) {
      reader.join(DRAIN.multipliedBy(2));
    }
  }

  long drainDeadline() {
    return System.nanoTime() + DRAIN.toNanos();
  }
}
