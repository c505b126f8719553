package dev.parley.server.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ByeReason;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.Transport;
import dev.parley.server.testing.Tus;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A client that asks for output and does not read it costs the server a bounded amount of memory:
 * its queue is bounded in bytes ({@code max-outbound-bytes}), the server stops reading from it
 * while its output is backed up, and an HTTP connection has one response in flight.
 */
class OutputBackpressureTest {
  private static final FrameCodec CODEC = new FrameCodec();

  @Test
  void pipelinedHistoryThatIsNeverReadEndsInSlowConsumerAtTheByteBoundWhileOthersChat() throws Exception {
    int maxOutboundBytes = 2 << 20;
    try (TestServer server = TestServer.start(Map.of("max-outbound-bytes", maxOutboundBytes))) {
      Http http = new Http(server.http());
      String self = http.registerAndLogin("self", "secret123");
      String bob = http.registerAndLogin("bob", "secret123");
      String carol = http.registerAndLogin("carol", "secret123");
      String emoji = "😀".repeat(10_000);
      try (FrameClient writer = Transport.TCP.connect(server, self, null)) {
        for (int i = 0; i < 20; i++) {
          writer.sendMessage("m" + i, "self", emoji);
        }
      }
      // Each reply holds 20 messages of 40 000 bytes: 150 of them are some 120 MB.
      int requests = 150;
      try (Socket stalled = new Socket();
          FrameClient bobClient = Transport.TCP.connect(server, bob, null);
          FrameClient carolClient = Transport.WEBSOCKET.connect(server, carol, null)) {
        stalled.setReceiveBufferSize(4096);
        stalled.connect(new InetSocketAddress("127.0.0.1", server.tcpPort()));
        stalled.setSoTimeout(10_000);
        StringBuilder pipelined = new StringBuilder(CODEC.encodeToString(new ClientFrame.Auth("a", self, null))).append('\n');
        for (int i = 0; i < requests; i++) {
          pipelined.append("{\"type\":\"history\",\"id\":\"h").append(i).append("\",\"with\":\"self\",\"limit\":100}\n");
        }
        stalled.getOutputStream().write(pipelined.toString().getBytes(UTF_8));

        // Meanwhile the server serves everyone else.
        for (int i = 0; i < 20; i++) {
          assertThat(bobClient.sendMessage("b" + i, "carol", "still here " + i).seq()).isPositive();
          assertThat(carolClient.nextMatching(ServerFrame.Message.class, m -> true).text()).isEqualTo("still here " + i);
        }

        List<ServerFrame> frames = readUntilClosed(stalled);
        assertThat(frames.getFirst()).isInstanceOf(ServerFrame.Welcome.class);
        assertThat(frames.getLast()).isEqualTo(new ServerFrame.Bye(null, ByeReason.SLOW_CONSUMER));
        long histories = frames.stream().filter(ServerFrame.History.class::isInstance).count();
        // What the socket buffers held, plus the queue's bound: a few replies of 800 KB, not 150.
        assertThat(histories).isBetween(1L, 15L);
      }
    }
  }

  @Test
  void aWebSocketPingFloodThatReadsNoPongsStopsBeingRead() throws Exception {
    try (TestServer server = TestServer.start();
        Socket flooder = new Socket("127.0.0.1", server.httpPort())) {
      String token = new Http(server.http()).registerAndLogin("pinger", "secret123");
      upgrade(flooder, server);
      AtomicLong written = new AtomicLong();
      // Past this the server is reading without bound: kernel buffers hold a few MB at most.
      long cap = 64L << 20;
      ExecutorService flood = Executors.newSingleThreadExecutor();
      try (FrameClient other = Transport.WEBSOCKET.connect(server, token, null)) {
        flood.execute(() -> floodWithPings(flooder, written, cap));

        long[] last = {-1};
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
          long now = written.get();
          boolean stalled = now == last[0] && now < cap;
          last[0] = now;
          return stalled;
        });

        other.send(new ClientFrame.Ping("p"));
        assertThat(other.next()).isEqualTo(new ServerFrame.Pong("p"));
      } finally {
        flooder.close();
        flood.shutdownNow();
      }
    }
  }

  @Test
  void pipelinedDownloadsThatAreNotReadHoldOneOpenFileAndAllArriveOnceRead() throws Exception {
    byte[] file = new byte[8 << 20];
    new Random(3).nextBytes(file);
    try (TestServer server = TestServer.start()) {
      Http http = new Http(server.http());
      String alice = http.registerAndLogin("alice", "secret123");
      String bob = http.registerAndLogin("bob", "secret123");
      String fileId = new Tus(server.http()).uploadWhole(alice, file, "big.bin", "bob");
      Path files = server.dataDir().resolve("files").toRealPath();
      int requests = 8;
      try (Socket client = new Socket()) {
        client.setReceiveBufferSize(4096);
        client.connect(new InetSocketAddress("127.0.0.1", server.httpPort()));
        client.setSoTimeout(10_000);
        String get = "GET /api/v1/files/" + fileId + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + bob + "\r\n\r\n";
        client.getOutputStream().write(get.repeat(requests).getBytes(UTF_8));

        await().atMost(Duration.ofSeconds(10)).until(() -> openFilesUnder(files) >= 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> openFilesUnder(files) <= 1);

        DataInputStream in = new DataInputStream(client.getInputStream());
        for (int i = 0; i < requests; i++) {
          assertThat(readResponse(in)).as("response %d", i).isEqualTo(file);
        }
      }
    }
  }

  /** Descriptors of this process (the server runs in it) open on files under the directory. */
  private static long openFilesUnder(Path dir) throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(fd -> {
        try {
          return Files.readSymbolicLink(fd).startsWith(dir);
        } catch (IOException e) {
          return false;
        }
      }).count();
    }
  }

  /** A 200 response's body, read by its Content-Length. */
  private static byte[] readResponse(DataInputStream in) throws IOException {
    String status = line(in);
    assertThat(status).startsWith("HTTP/1.1 200");
    int length = -1;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      if (header.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(header.substring("content-length:".length()).strip());
      }
    }
    byte[] body = new byte[length];
    in.readFully(body);
    return body;
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("closed mid-line");
      }
      line.write(b);
    }
    return line.toString(UTF_8).stripTrailing();
  }

  private static List<ServerFrame> readUntilClosed(Socket socket) throws Exception {
    List<ServerFrame> frames = new ArrayList<>();
    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      frames.add(CODEC.decodeServer(line));
    }
    return frames;
  }

  /** An anonymous WebSocket upgrade by hand; the 101 is read, nothing after it ever is. */
  static void upgrade(Socket socket, TestServer server) throws IOException {
    String key = Base64.getEncoder().encodeToString(new byte[16]);
    socket.getOutputStream().write(("GET /api/v1/ws HTTP/1.1\r\nHost: 127.0.0.1:" + server.httpPort()
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
        + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(UTF_8));
    InputStream in = socket.getInputStream();
    assertThat(line(in)).startsWith("HTTP/1.1 101");
    while (!line(in).isEmpty()) {
      // the upgrade's headers
    }
  }

  /** Masked pings with the largest payload a control frame may have, until the cap or the socket fails. */
  static void floodWithPings(Socket socket, AtomicLong written, long cap) {
    byte[] ping = new byte[2 + 4 + 125];
    ping[0] = (byte) 0x89;
    ping[1] = (byte) (0x80 | 125);
    byte[] batch = new byte[ping.length * 64];
    for (int i = 0; i < 64; i++) {
      System.arraycopy(ping, 0, batch, i * ping.length, ping.length);
    }
    try {
      OutputStream out = socket.getOutputStream();
      while (written.get() < cap) {
        out.write(batch);
        written.addAndGet(batch.length);
      }
    } catch (IOException e) {
      // closed at the end of the test
    }
  }
}
