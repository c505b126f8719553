package dev.parley.server.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FaultyMessageStore;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUser;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A connection with {@code since} never gets a message at or below it, not even live: a message
 * committed before the client read the log, but handed to live delivery only afterwards (as a node
 * whose bus feed lags behind the database does), would otherwise reach it twice and out of order.
 */
class LiveAfterSinceTest {
  @Test
  void aMessageCommittedBeforeTheClientReadTheLogIsNotSentToItLiveLater() throws Exception {
    AtomicReference<FaultyMessageStore> faulty = new AtomicReference<>();
    try (TestServer server = TestServer.startWrapping(Map.of(), store -> {
      faulty.set(new FaultyMessageStore(store));
      return faulty.get();
    })) {
      TestUsers users = new TestUsers(server);
      TestUser alice = users.create("alice");
      TestUser bob = users.create("bob");
      try (FrameClient bobClient = Transport.TCP.connect(server, bob.token(), null)) {
        CountDownLatch release = new CountDownLatch(1);
        long committed;
        FrameClient holdsIt;
        FrameClient liveOnly;
        try {
          faulty.get().holdCommittedAppendsUntil(release);
          long before = faulty.get().newestSeq();
          bobClient.send(new ClientFrame.Send("b1", "alice", "committed, not yet handed over"));
          await().atMost(Duration.ofSeconds(10)).until(() -> faulty.get().newestSeq() > before);
          committed = faulty.get().newestSeq();
          // One client read the log up to the message; another asks for live messages only.
          holdsIt = Transport.TCP.connect(server, alice.token(), committed);
          liveOnly = Transport.WEBSOCKET.connect(server, alice.token(), Long.MAX_VALUE);
          holdsIt.send(new ClientFrame.Ping("replayed"));
          assertThat(holdsIt.next()).isEqualTo(new ServerFrame.Pong("replayed"));
        } finally {
          release.countDown();
        }
        try (holdsIt; liveOnly) {
          assertThat(bobClient.nextMatching(ServerFrame.Ack.class, ack -> ack.id().equals("b1")).seq()).isEqualTo(committed);
          long next = bobClient.sendMessage("b2", "alice", "after").seq();
          for (FrameClient client : new FrameClient[] {holdsIt, liveOnly}) {
            ServerFrame.Message message = client.nextMatching(ServerFrame.Message.class, m -> true);
            assertThat(message.seq()).isEqualTo(next);
            assertThat(message.text()).isEqualTo("after");
          }
        }
      }
    }
  }
}
