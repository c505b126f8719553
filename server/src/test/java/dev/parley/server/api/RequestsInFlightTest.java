package dev.parley.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FaultyMessageStore;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A client that pipelines requests without waiting for their answers holds at most
 * {@code max-requests-in-flight} of them on the server; the rest are refused at once, so one
 * connection cannot queue unbounded work (database reads, commits) and the memory behind it.
 */
class RequestsInFlightTest {
  private static final int MAX_IN_FLIGHT = 8;

  @ParameterizedTest
  @EnumSource(Transport.class)
  void requestsPastTheLimitAreRefusedUntilEarlierOnesAreAnswered(Transport transport) {
    AtomicReference<FaultyMessageStore> faulty = new AtomicReference<>();
    CountDownLatch release = new CountDownLatch(1);
    try (TestServer server =
            TestServer.startWrapping(
                Map.of("max-requests-in-flight", MAX_IN_FLIGHT, "message-burst", 1_000_000),
                store -> {
                  faulty.set(new FaultyMessageStore(store));
                  return faulty.get();
                });
        FrameClient alice = transport.connect(server, aliceWritingToBob(server), null)) {
      // Sends are answered only after their commit, and the commit is held: they stay in flight.
      faulty.get().holdAppendsUntil(release);
      for (int i = 0; i < MAX_IN_FLIGHT + 3; i++) {
        alice.send(new ClientFrame.Send("m" + i, "bob", "pipelined " + i));
      }
      List<ServerFrame.Error> refused = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        refused.add(alice.next(ServerFrame.Error.class));
      }
      assertThat(refused).extracting(ServerFrame.Error::id).containsExactly("m8", "m9", "m10");
      assertThat(refused).allSatisfy(error -> {
        assertThat(error.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(error.retryAfter()).isEqualTo(1L);
      });
      alice.send(new ClientFrame.Ping("still-answered"));
      assertThat(alice.next()).isEqualTo(new ServerFrame.Pong("still-answered"));

      release.countDown();
      List<String> acked = new ArrayList<>();
      for (int i = 0; i < MAX_IN_FLIGHT; i++) {
        acked.add(alice.next(ServerFrame.Ack.class).id());
      }
      assertThat(acked).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7");
      alice.send(new ClientFrame.Send("m8", "bob", "retried"));
      assertThat(alice.next(ServerFrame.Ack.class).id()).isEqualTo("m8");
    } finally {
      release.countDown();
    }
  }

  /** Creates alice and bob; alice's token. */
  private static String aliceWritingToBob(TestServer server) {
    TestUsers users = new TestUsers(server);
    users.create("bob");
    return users.create("alice").token();
  }
}
