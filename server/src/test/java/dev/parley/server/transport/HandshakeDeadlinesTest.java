package dev.parley.server.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ByeReason;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
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
import java.net.SocketException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code header-timeout-seconds} and {@code auth-timeout-seconds}: a client that trickles its
 * request head, or connects and never authenticates, loses its connection however busy it keeps it.
 */
class HandshakeDeadlinesTest {
  private static final Map<String, Object> ONE_SECOND = Map.of("header-timeout-seconds", 1, "auth-timeout-seconds", 1);

  private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stopTrickling() {
    trickle.shutdownNow();
  }

  @Test
  void aRequestHeadTrickledAByteAtATimeIsCutAtTheDeadline() throws Exception {
    try (TestServer server = TestServer.start(ONE_SECOND);
        Socket slowloris = new Socket("127.0.0.1", server.httpPort())) {
      AtomicInteger sent = trickleHead(slowloris, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + "a".repeat(200));

      assertThat(readUntilClosed(slowloris, Duration.ofSeconds(5))).isEmpty();
      assertThat(sent.get()).as("bytes kept arriving, so the idle timeout would never have fired").isGreaterThan(3);
    }
  }

  @Test
  void onKeepAliveTheDeadlineRunsFromTheNextRequestsFirstByteNotFromTheLastResponse() throws Exception {
    try (TestServer server = TestServer.start(ONE_SECOND);
        Socket client = new Socket("127.0.0.1", server.httpPort())) {
      client.setSoTimeout(10_000);
      InputStream in = client.getInputStream();
      client.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(UTF_8));
      assertThat(readResponseHead(in)).startsWith("HTTP/1.1 200");

      // Quiet for longer than the header timeout: keep-alive waits for the idle timeout.
      trickle.schedule(() -> write(client, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"), 1500, TimeUnit.MILLISECONDS);
      assertThat(readResponseHead(in)).startsWith("HTTP/1.1 200");

      trickleHead(client, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + "a".repeat(200));
      assertThat(readUntilClosed(client, Duration.ofSeconds(5))).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aConnectionThatDoesNotAuthenticateInTimeIsToldAndClosedThoughItPings(Transport transport) {
    try (TestServer server = TestServer.start(ONE_SECOND);
        FrameClient anonymous = transport.connect(server)) {
      trickle.scheduleAtFixedRate(() -> anonymous.send(new ClientFrame.Ping("p")), 0, 200, TimeUnit.MILLISECONDS);

      ServerFrame.Error error = anonymous.nextMatching(ServerFrame.Error.class, e -> true);
      assertThat(error).isEqualTo(
          new ServerFrame.Error(null, ErrorCode.UNAUTHORIZED, "log in or authenticate within 1 seconds", null));
      assertThat(anonymous.nextMatching(ServerFrame.Bye.class, b -> true))
          .isEqualTo(new ServerFrame.Bye(null, ByeReason.AUTH_TIMEOUT));
      anonymous.awaitClosed();
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anAuthenticatedConnectionOutlivesTheAuthTimeout(Transport transport) {
    try (TestServer server = TestServer.start(ONE_SECOND)) {
      String token = new Http(server.http()).registerAndLogin("alice", "secret123");
      try (FrameClient alice = transport.connect(server, token, null)) {
        AtomicInteger pings = new AtomicInteger();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> {
          String id = "p" + pings.incrementAndGet();
          alice.send(new ClientFrame.Ping(id));
          return alice.next().equals(new ServerFrame.Pong(id)) && !alice.isClosed();
        });
      }
    }
  }

  /** Sends the head one byte every 200 ms, never finishing it; returns the count of bytes sent. */
  private AtomicInteger trickleHead(Socket socket, String head) {
    AtomicInteger sent = new AtomicInteger();
    trickle.scheduleAtFixedRate(() -> {
      int next = sent.get();
      if (next < head.length() && write(socket, head.substring(next, next + 1))) {
        sent.incrementAndGet();
      }
    }, 0, 200, TimeUnit.MILLISECONDS);
    return sent;
  }

  private static boolean write(Socket socket, String text) {
    try {
      OutputStream out = socket.getOutputStream();
      out.write(text.getBytes(UTF_8));
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * What arrives before the server closes; fails if it has not closed within the time. A close
   * while the client's trickled bytes are still arriving reaches the client as a reset (the
   * server's kernel answers unread input with RST), which is the cut this test expects too.
   */
  private static byte[] readUntilClosed(Socket socket, Duration within) throws IOException {
    socket.setSoTimeout((int) within.toMillis());
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n = socket.getInputStream().read(buffer); n >= 0; n = socket.getInputStream().read(buffer)) {
        received.write(buffer, 0, n);
      }
    } catch (SocketException e) {
      if (!"Connection reset".equals(e.getMessage())) {
        throw e;
      }
    }
    return received.toByteArray();
  }

  /** A response's status line and headers (the /healthz body is read with them, being short). */
  private static String readResponseHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    byte[] received = new byte[4096];
    while (!head.toString(UTF_8).contains("\r\n\r\n")) {
      int n = in.read(received);
      if (n < 0) {
        throw new IOException("closed before a response");
      }
      head.write(received, 0, n);
    }
    String text = head.toString(UTF_8);
    int length = Integer.parseInt(text.replaceAll("(?s).*[Cc]ontent-[Ll]ength: *(\\d+).*", "$1"));
    int missing = text.indexOf("\r\n\r\n") + 4 + length - head.size();
    in.readNBytes(missing);
    return text;
  }
}
