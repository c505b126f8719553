package dev.parley.server.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FaultyMessageStore;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The group-commit writer survives an Error, and /healthz tells when it is stuck. */
class WriterFailureTest {
  @Test
  void anErrorInTheWriterFailsItsBatchAndLaterSendsAreAckedAgain() {
    AtomicReference<FaultyMessageStore> faulty = new AtomicReference<>();
    try (TestServer server = startFaulty(Map.of(), faulty)) {
      Http http = new Http(server.http());
      String alice = aliceWritingToBob(server);
      try (FrameClient client = Transport.TCP.connect(server, alice, null)) {
        faulty.get().failNextAppend(new OutOfMemoryError("injected by the test"));
        client.send(new ClientFrame.Send("lost", "bob", "hello"));

        ServerFrame.Error refused = client.next(ServerFrame.Error.class);
        assertThat(refused.id()).isEqualTo("lost");
        assertThat(refused.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);

        ServerFrame.Ack later = client.sendMessage("later", "bob", "still there?");
        ServerFrame.Ack retried = client.sendMessage("lost", "bob", "hello");
        assertThat(retried.seq()).isGreaterThan(later.seq());
      }
      Http.Reply health = http.get("/healthz", null);
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.body().toString()).isEqualTo("{\"status\":\"ok\"}");
    }
  }

  @Test
  void aCommitThatHangsMakesHealthzUnhealthyUntilItFinishes() {
    AtomicReference<FaultyMessageStore> faulty = new AtomicReference<>();
    try (TestServer server = startFaulty(Map.of("writer-stall-seconds", 1), faulty)) {
      Http http = new Http(server.http());
      String alice = aliceWritingToBob(server);
      CountDownLatch release = new CountDownLatch(1);
      try (FrameClient client = Transport.TCP.connect(server, alice, null)) {
        faulty.get().holdAppendsUntil(release);
        client.send(new ClientFrame.Send("held", "bob", "hello"));

        await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/healthz", null).status() == 503);
        Http.Reply unhealthy = http.get("/healthz", null);
        assertThat(unhealthy.body().path("status").asText()).isEqualTo("unhealthy");
        assertThat(unhealthy.body().path("checks").path("writer").asText()).contains("stuck");

        release.countDown();
        assertThat(client.next(ServerFrame.Ack.class).id()).isEqualTo("held");
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/healthz", null).status() == 200);
      } finally {
        release.countDown();
      }
    }
  }

  /** A server whose message writer appends through the {@link FaultyMessageStore} put in {@code faulty}. */
  private static TestServer startFaulty(Map<String, Object> overrides, AtomicReference<FaultyMessageStore> faulty) {
    return TestServer.startWrapping(overrides, store -> {
      faulty.set(new FaultyMessageStore(store));
      return faulty.get();
    });
  }

  /** Creates alice and bob; alice's token. */
  private static String aliceWritingToBob(TestServer server) {
    TestUsers users = new TestUsers(server);
    users.create("bob");
    return users.create("alice").token();
  }
}
