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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * 200 clients, half over TCP and half over WebSocket, each pipelining 50 messages to random
 * others: every message is acknowledged, delivered exactly once, and in per-sender order.
 */
@ParleyServerTest
class ConcurrentClientsTest {
  private static final int CLIENTS = 200;
  private static final int MESSAGES_EACH = 50;

  /** What one client saw: its acks, and per sender the message counters in arrival order. */
  private record Observed(List<ServerFrame.Ack> acks, Map<String, List<Integer>> receivedBySender) {}

  @Test
  // Every client connects from 127.0.0.1, more than max-connections-per-address allows by default.
  @ServerSetting(key = "max-connections-per-address", value = "800")
  void everyMessageIsDeliveredExactlyOnceAndInPerSenderOrder(TestServer server, TestUsers users) throws Exception {
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<String> names = IntStream.range(0, CLIENTS).mapToObj(i -> "c" + i).toList();
      List<Future<String>> logins = names.stream().map(name -> threads.submit(() -> users.create(name).token())).toList();
      List<String> tokens = new ArrayList<>();
      for (Future<String> login : logins) {
        tokens.add(login.get());
      }

      Random random = new Random(42);
      int[][] recipients = new int[CLIENTS][MESSAGES_EACH];
      int[] expectedIncoming = new int[CLIENTS];
      for (int sender = 0; sender < CLIENTS; sender++) {
        for (int k = 0; k < MESSAGES_EACH; k++) {
          int to = (sender + 1 + random.nextInt(CLIENTS - 1)) % CLIENTS;
          recipients[sender][k] = to;
          expectedIncoming[to]++;
        }
      }

      List<FrameClient> clients = new ArrayList<>();
      try {
        for (int i = 0; i < CLIENTS; i++) {
          Transport transport = i % 2 == 0 ? Transport.TCP : Transport.WEBSOCKET;
          clients.add(transport.connect(server, tokens.get(i), null));
        }
        List<Future<Observed>> runs = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
          int me = i;
          runs.add(threads.submit(() -> run(clients.get(me), me, names, recipients[me], expectedIncoming[me])));
        }

        Set<String> delivered = new HashSet<>();
        int deliveredCount = 0;
        for (int i = 0; i < CLIENTS; i++) {
          Observed observed = runs.get(i).get();
          assertThat(observed.acks()).extracting(ServerFrame.Ack::id).doesNotHaveDuplicates().hasSize(MESSAGES_EACH);
          for (Map.Entry<String, List<Integer>> entry : observed.receivedBySender().entrySet()) {
            assertThat(entry.getValue()).as("messages from %s to c%d", entry.getKey(), i).isSorted().doesNotHaveDuplicates();
            for (int k : entry.getValue()) {
              delivered.add(entry.getKey() + ":" + k);
              deliveredCount++;
            }
          }
        }
        assertThat(deliveredCount).isEqualTo(CLIENTS * MESSAGES_EACH);
        assertThat(delivered).hasSize(CLIENTS * MESSAGES_EACH);
      } finally {
        clients.forEach(FrameClient::close);
      }
    }
  }

  private static Observed run(FrameClient client, int me, List<String> names, int[] recipients, int expectedIncoming) {
    for (int k = 0; k < recipients.length; k++) {
      client.send(new ClientFrame.Send("m" + k, names.get(recipients[k]), names.get(me) + ":" + k));
    }
    List<ServerFrame.Ack> acks = new ArrayList<>();
    Map<String, List<Integer>> received = new HashMap<>();
    int incoming = 0;
    while (acks.size() < recipients.length || incoming < expectedIncoming) {
      switch (client.next()) {
        case ServerFrame.Ack ack -> acks.add(ack);
        case ServerFrame.Message message -> {
          String[] parts = message.text().split(":");
          assertThat(message.from()).isEqualTo(parts[0]);
          assertThat(message.to()).isEqualTo(names.get(me));
          received.computeIfAbsent(parts[0], s -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
          incoming++;
        }
        case ServerFrame other -> throw new AssertionError("unexpected frame " + other);
      }
    }
    return new Observed(acks, received);
  }
}
