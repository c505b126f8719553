package dev.parley.server.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Each TCP or WebSocket connection is read at {@code frames-per-second} after a burst of
 * {@code frame-burst}: a ping flood gets no more answers than its budget while others chat, and
 * an honest client's pipelined burst is slowed at most, never refused.
 */
class FrameBudgetTest {
  private static final int PER_SECOND = 100;
  private static final int BURST = 100;
  private static final Map<String, Object> BUDGET = Map.of("frames-per-second", PER_SECOND, "frame-burst", BURST);

  @Test
  void aTcpPingFloodIsAnsweredWithinItsBudgetWhileAnotherUsersMessagesAreDelivered() throws Exception {
    try (TestServer server = TestServer.start(BUDGET);
        Socket flooder = new Socket("127.0.0.1", server.tcpPort())) {
      Http http = new Http(server.http());
      String alice = http.registerAndLogin("alice", "secret123");
      String bob = http.registerAndLogin("bob", "secret123");
      long started = System.nanoTime();
      AtomicLong written = new AtomicLong();
      ExecutorService flood = Executors.newSingleThreadExecutor();
      try (FrameClient sender = Transport.TCP.connect(server, alice, null);
          FrameClient receiver = Transport.WEBSOCKET.connect(server, bob, null)) {
        flood.execute(() -> floodWithPings(flooder, written));
        // Far more pings than the budget lets through in the whole test.
        await().atMost(Duration.ofSeconds(30)).until(() -> written.get() > 1 << 20);

        for (int i = 0; i < 5; i++) {
          sender.sendMessage("m" + i, "bob", "during the flood " + i);
          String text = "during the flood " + i;
          receiver.nextMatching(ServerFrame.Message.class, m -> m.text().equals(text));
        }

        flood.shutdownNow();
        long pongs = new String(received(flooder, Duration.ofSeconds(2)), UTF_8).lines().count();
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(pongs).isGreaterThanOrEqualTo(BURST).isLessThanOrEqualTo(BURST + (long) Math.ceil(PER_SECOND * seconds));
        assertThat(written.get() / "{\"type\":\"ping\"}\n".length()).isGreaterThan(10 * pongs);
      } finally {
        flood.shutdownNow();
      }
    }
  }

  @Test
  void aWebSocketPingControlFrameFloodIsAnsweredWithinItsBudget() throws Exception {
    try (TestServer server = TestServer.start(BUDGET);
        Socket flooder = new Socket("127.0.0.1", server.httpPort())) {
      long started = System.nanoTime();
      OutputBackpressureTest.upgrade(flooder, server);
      AtomicLong written = new AtomicLong();
      ExecutorService flood = Executors.newSingleThreadExecutor();
      try {
        flood.execute(() -> OutputBackpressureTest.floodWithPings(flooder, written, 64L << 20));
        await().atMost(Duration.ofSeconds(30)).until(() -> written.get() > 1 << 20);

        // Each pong echoes its ping's 125 bytes behind a 2-byte header.
        long pongs = received(flooder, Duration.ofSeconds(2)).length / 127;
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(pongs).isGreaterThanOrEqualTo(BURST).isLessThanOrEqualTo(BURST + (long) Math.ceil(PER_SECOND * seconds));
        assertThat(written.get() / (2 + 4 + 125)).isGreaterThan(10 * pongs);
      } finally {
        flood.shutdownNow();
      }
    }
  }

  @Test
  void aPipelinedBurstOverTheBudgetIsAllAckedAndDeliveredInOrder() {
    try (TestServer server = TestServer.start(BUDGET)) {
      Http http = new Http(server.http());
      String alice = http.registerAndLogin("alice", "secret123");
      String bob = http.registerAndLogin("bob", "secret123");
      // Under max-requests-in-flight (128), and past the burst: the rest waits for the budget.
      int count = 120;
      try (FrameClient sender = Transport.TCP.connect(server, alice, null);
          FrameClient receiver = Transport.WEBSOCKET.connect(server, bob, null)) {
        for (int i = 0; i < count; i++) {
          sender.send(new ClientFrame.Send("s" + i, "bob", "burst " + i));
        }
        List<String> acked = new ArrayList<>();
        List<String> delivered = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          acked.add(sender.next(ServerFrame.Ack.class).id());
          delivered.add(receiver.next(ServerFrame.Message.class).text());
        }
        assertThat(acked).hasSize(count).doesNotHaveDuplicates();
        assertThat(delivered).containsExactlyElementsOf(
            IntStream.range(0, count).mapToObj(i -> "burst " + i).toList());
      }
    }
  }

  /** Pipelined ping lines, never reading, until the thread is interrupted or the socket fails. */
  private static void floodWithPings(Socket socket, AtomicLong written) {
    byte[] batch = "{\"type\":\"ping\"}\n".repeat(256).getBytes(UTF_8);
    try {
      OutputStream out = socket.getOutputStream();
      while (!Thread.currentThread().isInterrupted()) {
        out.write(batch);
        written.addAndGet(batch.length);
      }
    } catch (IOException e) {
      // closed at the end of the test
    }
  }

  /** What arrives on the flooding connection within the time given. */
  private static byte[] received(Socket socket, Duration within) throws IOException {
    socket.setSoTimeout(100);
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        int read = in.read(buffer);
        if (read < 0) {
          break;
        }
        bytes.write(buffer, 0, read);
      } catch (SocketTimeoutException e) {
        // nothing yet; the budget lets the next ones through in time
      }
    }
    return bytes.toByteArray();
  }
}
