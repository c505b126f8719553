package dev.parley.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ByeReason;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.ServerSetting;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A client that stops reading is dropped once its queue is full, and the server carries on. */
@ParleyServerTest
@ServerSetting(key = "outbound-queue-frames", value = "64")
// The flood must outrun the reader, so it runs far past the per-user message rate limit and the
// requests one connection may have unanswered.
@ServerSetting(key = "message-burst", value = "1000000")
@ServerSetting(key = "max-requests-in-flight", value = "1000000")
class SlowConsumerTest {
  @Test
  void aClientThatStopsReadingIsClosedAsASlowConsumer(TestServer server, TestUsers users) throws Exception {
    FrameCodec codec = new FrameCodec();
    String flooder = users.create("flood").token();
    String sleeper = users.create("sleepy").token();
    try (Socket stalled = new Socket();
        FrameClient sender = Transport.TCP.connect(server, flooder, null)) {
      stalled.setReceiveBufferSize(4096);
      stalled.connect(new InetSocketAddress("127.0.0.1", server.tcpPort()));
      stalled.getOutputStream().write((codec.encodeToString(new ClientFrame.Auth("a", sleeper, null)) + "\n")
          .getBytes(StandardCharsets.UTF_8));

      String big = "满".repeat(9_000);
      int sent = 3_000;
      for (int i = 0; i < sent; i++) {
        sender.send(new ClientFrame.Send("f" + i, "sleepy", big));
      }
      for (int i = 0; i < sent; i++) {
        sender.next(ServerFrame.Ack.class);
      }

      List<ServerFrame> frames = new ArrayList<>();
      try (BufferedReader in = new BufferedReader(new InputStreamReader(stalled.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          frames.add(codec.decodeServer(line));
        }
      }
      assertThat(frames.getFirst()).isInstanceOf(ServerFrame.Welcome.class);
      assertThat(frames.getLast()).isEqualTo(new ServerFrame.Bye(null, ByeReason.SLOW_CONSUMER));
      assertThat(frames.size() - 2).isLessThan(sent);

      sender.send(new ClientFrame.Ping("still serving"));
      assertThat(sender.next()).isEqualTo(new ServerFrame.Pong("still serving"));
    }
  }
}
