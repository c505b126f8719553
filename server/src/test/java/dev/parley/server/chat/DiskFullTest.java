package dev.parley.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.store.sqlite.SqliteDatabase;
import dev.parley.server.testing.CapturedLog;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.SmallFileSystem;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A full disk refuses sends with {@code storage_full}, stores none of them, loses nothing that
 * was acknowledged, and once space is freed the same server takes messages again.
 */
class DiskFullTest {
  private static final String PADDING = "x".repeat(4000);

  @RegisterExtension final CapturedLog log = new CapturedLog(SqliteDatabase.class);

  @Test
  void refusedSendsAreNotStoredAndSendsWorkAgainOnceSpaceIsFreed() throws Exception {
    try (SmallFileSystem disk = SmallFileSystem.mount("8m")) {
      Path dataDir = disk.root().resolve("data");
      // Alice sends far more than a burst: the message rate limit is not what this test is about.
      try (TestServer server = TestServer.startOn(dataDir, Map.of("message-burst", 1_000_000))) {
        TestUsers users = new TestUsers(server);
        String alice = users.create("alice").token();
        String bob = users.create("bob").token();
        List<Long> ackedSeqs = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        List<String> acked = new ArrayList<>();
        try (FrameClient client = Transport.TCP.connect(server, alice, null)) {
          Path filler = disk.fill();
          for (int i = 0; refused.size() < 20 && i < 2000; i++) {
            String id = "full" + i;
            client.send(new ClientFrame.Send(id, "bob", id + PADDING));
            ServerFrame answer = client.next();
            if (answer instanceof ServerFrame.Ack ack) {
              acked.add(id);
              ackedSeqs.add(ack.seq());
            } else {
              ServerFrame.Error error = (ServerFrame.Error) answer;
              assertThat(error.id()).isEqualTo(id);
              assertThat(error.code()).isEqualTo(ErrorCode.STORAGE_FULL);
              refused.add(id);
            }
          }
          assertThat(refused).as("sends refused on the full disk").hasSize(20);
          // A checkpoint can let a send through now and then, as above: send until one is refused.
          Http http = new Http(server.http());
          Http.Reply overHttp = null;
          for (int i = 0; i < 2000 && (overHttp == null || overHttp.status() == 201); i++) {
            String id = "http" + i;
            overHttp = http.post("/api/v1/messages", Map.of("to", "bob", "text", id + PADDING), alice);
            if (overHttp.status() == 201) {
              acked.add(id);
              ackedSeqs.add(overHttp.body().get("seq").asLong());
            }
          }
          assertThat(overHttp.status()).as("a send over HTTP on the full disk").isEqualTo(507);
          assertThat(overHttp.errorCode()).isEqualTo("storage_full");

          Files.delete(filler);
          for (int i = 0; i < 5; i++) {
            String id = "after" + i;
            ackedSeqs.add(client.sendMessage(id, "bob", id + PADDING).seq());
            acked.add(id);
          }
          long lastSeq = ackedSeqs.getLast();
          for (String id : refused) {
            ServerFrame.Ack retried = client.sendMessage(id, "bob", id + PADDING);
            // Had the refused send been stored after all, the retry would be its duplicate, with its old seq.
            assertThat(retried.seq()).as("seq of the retried %s", id).isGreaterThan(lastSeq);
            acked.add(id);
          }
          assertThat(http.post("/api/v1/login", Map.of("username", "bob", "password", TestUsers.PASSWORD), null).status())
              .as("a login, which stores a token, once space is freed").isEqualTo(200);
        }

        // Bob was offline throughout: every acknowledged message waits for him, once each.
        try (FrameClient client = Transport.TCP.connect(server, bob, null)) {
          Map<String, Integer> received = new HashMap<>();
          for (int i = 0; i < acked.size(); i++) {
            String text = client.next(ServerFrame.Message.class).text();
            received.merge(text.substring(0, text.length() - PADDING.length()), 1, Integer::sum);
          }
          assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(acked);
          assertThat(received.values()).containsOnly(1);
        }
      }
    }
    List<String> episodes = log.messages(Level.ERROR).stream().filter(line -> line.startsWith("storage full")).toList();
    assertThat(episodes).as("a line when the disk fills, not one per refused batch").hasSizeBetween(1, 2);
    assertThat(log.messages(Level.INFO)).filteredOn(line -> line.startsWith("storage has room again"))
        .as("and one when it has room again").hasSameSizeAs(episodes);
  }
}
