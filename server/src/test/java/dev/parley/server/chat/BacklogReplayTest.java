package dev.parley.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.ServerSetting;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A backlog far larger than the outbound queue is replayed in pages, never dropped as a slow consumer. */
@ParleyServerTest
class BacklogReplayTest {
  @ParameterizedTest
  @EnumSource(Transport.class)
  @ServerSetting(key = "outbound-queue-frames", value = "40")
  // The backlog is sent as fast as the server takes it, all 400 pipelined: far past the per-user
  // message rate limit and the requests one connection may have unanswered.
  @ServerSetting(key = "message-burst", value = "1000000")
  @ServerSetting(key = "max-requests-in-flight", value = "1000")
  void aBacklogTenTimesTheOutboundQueueArrivesCompleteAndInOrder(Transport transport, TestServer server, TestUsers users) {
    String sender = users.create("xena").token();
    String reader = users.create("yusuf").token();
    List<Long> sent = new ArrayList<>();
    try (FrameClient xena = transport.connect(server, sender, null)) {
      for (int i = 0; i < 400; i++) {
        xena.send(new ClientFrame.Send("b" + i, "yusuf", "backlog " + i));
      }
      for (int i = 0; i < 400; i++) {
        sent.add(xena.next(ServerFrame.Ack.class).seq());
      }
    }
    try (FrameClient yusuf = transport.connect(server, reader, null)) {
      List<Long> received = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        received.add(yusuf.next(ServerFrame.Message.class).seq());
      }
      assertThat(received).isEqualTo(sent.stream().sorted().toList());
      yusuf.send(new ClientFrame.Ping("done"));
      assertThat(yusuf.next()).isEqualTo(new ServerFrame.Pong("done"));
    }
  }
}
