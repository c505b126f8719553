package dev.parley.server.chat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FaultyMessageStore;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What one group commit sends a connection goes out together: the acks of messages committed in
 * one batch reach the sender as one write, and a room's fan-out keeps each connection's order.
 */
class GroupCommitWritesTest {
  private static final FrameCodec CODEC = new FrameCodec();
  private static final int IN_FLIGHT = 16;

  @Test
  void acksOfMessagesCommittedTogetherArriveAsOneWrite() throws Exception {
    AtomicReference<FaultyMessageStore> faulty = new AtomicReference<>();
    try (TestServer server = TestServer.startWrapping(Map.of(), store -> {
          faulty.set(new FaultyMessageStore(store));
          return faulty.get();
        });
        Socket socket = new Socket("127.0.0.1", server.tcpPort())) {
      TestUsers users = new TestUsers(server);
      users.create("bob");
      String alice = users.create("alice").token();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout((int) FrameClient.TIMEOUT.toMillis());
      ReadsRecorded reads = new ReadsRecorded(socket.getInputStream());
      write(socket, List.of(new ClientFrame.Auth("auth", alice, null)));
      reads.until(ServerFrame.Welcome.class, welcome -> true);
      CountDownLatch release = new CountDownLatch(1);
      try {
        // The writer takes the first message alone and waits in its commit; the next sixteen
        // queue up behind it, all of them (the pong after them says so), and commit as one batch.
        faulty.get().holdAppendsUntil(release);
        write(socket, List.of(new ClientFrame.Send("m0", "bob", "first")));
        await().atMost(Duration.ofSeconds(10)).until(faulty.get()::isHolding);
        List<ClientFrame> burst = new ArrayList<>();
        IntStream.rangeClosed(1, IN_FLIGHT).forEach(i -> burst.add(new ClientFrame.Send("m" + i, "bob", "message " + i)));
        burst.add(new ClientFrame.Ping("queued"));
        write(socket, burst);
        reads.until(ServerFrame.Pong.class, pong -> pong.id().equals("queued"));
      } finally {
        release.countDown();
      }

      reads.until(ServerFrame.Ack.class, ack -> ack.id().equals("m" + IN_FLIGHT));
      List<Received> acks = reads.all().stream()
          .filter(r -> r.frame() instanceof ServerFrame.Ack ack && !ack.id().equals("m0"))
          .toList();
      assertThat(acks).extracting(r -> ((ServerFrame.Ack) r.frame()).id())
          .containsExactlyElementsOf(IntStream.rangeClosed(1, IN_FLIGHT).mapToObj(i -> "m" + i).toList());
      assertThat(acks).extracting(r -> ((ServerFrame.Ack) r.frame()).seq()).isSorted();
      assertThat(acks).extracting(Received::read).as("the read each ack arrived in").containsOnly(acks.getFirst().read());
    }
  }

  @Test
  void roomFanOutKeepsEveryConnectionsOrderWhileItsMembersSendAtOnce() {
    try (TestServer server = TestServer.start()) {
      TestUsers users = new TestUsers(server);
      String alice = users.create("alice").token();
      String bob = users.create("bob").token();
      String carol = users.create("carol").token();
      try (FrameClient aliceTcp = Transport.TCP.connect(server, alice, null);
          FrameClient bobWs = Transport.WEBSOCKET.connect(server, bob, null);
          FrameClient carolTcp = Transport.TCP.connect(server, carol, null);
          FrameClient carolWs = Transport.WEBSOCKET.connect(server, carol, null)) {
        aliceTcp.send(new ClientFrame.CreateRoom("c", "实验室", List.of("bob", "carol"), false));
        String room = aliceTcp.nextMatching(ServerFrame.Room.class, reply -> true).room().room();
        int each = 60;
        for (int i = 0; i < each; i++) {
          aliceTcp.send(ClientFrame.Send.toRoom("a" + i, room, "来自 alice " + i));
          bobWs.send(ClientFrame.Send.toRoom("b" + i, room, "from bob " + i));
        }

        assertThat(acksAndMessages(aliceTcp, each, each)).as("alice's acks, in the order sent")
            .containsExactlyElementsOf(IntStream.range(0, each).mapToObj(i -> "a" + i).toList());
        acksAndMessages(bobWs, each, each);
        acksAndMessages(carolTcp, 0, 2 * each);
        acksAndMessages(carolWs, 0, 2 * each);
      }
    }
  }

  /**
   * Reads a connection's next acks and room messages (skipping membership entries) until it has
   * as many as expected, checking that the messages come in rising seq order and that each
   * message's text came from its sender; returns the acks' ids in arrival order.
   */
  private static List<String> acksAndMessages(FrameClient client, int acks, int messages) {
    List<String> ackIds = new ArrayList<>();
    List<Long> seqs = new ArrayList<>();
    while (ackIds.size() < acks || seqs.size() < messages) {
      switch (client.next()) {
        case ServerFrame.Ack ack -> ackIds.add(ack.id());
        case ServerFrame.Message message when message.event() == null -> {
          assertThat(message.text()).contains(message.from());
          seqs.add(message.seq());
        }
        default -> { }
      }
    }
    assertThat(seqs).as(client.transport() + ": seqs of the messages delivered").isSorted().doesNotHaveDuplicates();
    assertThat(ackIds).hasSize(acks);
    return ackIds;
  }

  private static void write(Socket socket, List<ClientFrame> frames) throws Exception {
    StringBuilder lines = new StringBuilder();
    frames.forEach(frame -> lines.append(CODEC.encodeToString(frame)).append('\n'));
    socket.getOutputStream().write(lines.toString().getBytes(UTF_8));
    socket.getOutputStream().flush();
  }

  /** A frame and the number of the socket read its line was completed in. */
  private record Received(ServerFrame frame, int read) {}

  /** Reads a TCP connection's frames, remembering which read of the socket brought each. */
  private static final class ReadsRecorded {
    private final InputStream in;
    private final byte[] buffer = new byte[1 << 20];
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final List<Received> received = new ArrayList<>();
    private int reads;

    ReadsRecorded(InputStream in) {
      this.in = in;
    }

    List<Received> all() {
      return received;
    }

    /** Reads until a frame of this type matching the condition arrived (socket timeout: the test fails). */
    <T extends ServerFrame> void until(Class<T> type, Predicate<T> condition) throws Exception {
      int from = 0;
      while (true) {
        for (int i = from; i < received.size(); i++) {
          ServerFrame frame = received.get(i).frame();
          if (type.isInstance(frame) && condition.test(type.cast(frame))) {
            return;
          }
        }
        from = received.size();
        readOnce();
      }
    }

    private void readOnce() throws Exception {
      int n = in.read(buffer);
      assertThat(n).as("the server closed the connection").isPositive();
      reads++;
      for (int i = 0; i < n; i++) {
        if (buffer[i] == '\n') {
          received.add(new Received(CODEC.decodeServer(partial.toString(UTF_8)), reads));
          partial.reset();
        } else {
          partial.write(buffer[i]);
        }
      }
    }
  }
}
