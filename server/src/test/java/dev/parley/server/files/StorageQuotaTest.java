package dev.parley.server.files;

import static dev.parley.server.testing.Tus.headers;
import static dev.parley.server.testing.Tus.metadata;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.TestClock;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Tus;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code max-storage-bytes-per-user} over real tus requests: what counts (sent files, uploads in
 * progress), when it is refused, and what gives the space back (completion moves it, termination,
 * expiry and deleting a sent file free it).
 */
class StorageQuotaTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int QUOTA = 1000;
  private static final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  private static TestServer server;
  private static Http http;
  private static Tus tus;
  private static TestUsers users;
  private static String bob;
  private static String eve;
  private static int senders;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(Map.of("max-storage-bytes-per-user", QUOTA), clock);
    http = new Http(server.http());
    tus = new Tus(server.http());
    users = new TestUsers(server);
    bob = users.create("bob").token();
    eve = users.create("eve").token();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  /** A fresh sender per test, with the whole quota free. */
  private static String newSender() {
    return users.create("sender" + ++senders).token();
  }

  private static String toBob(String filename) {
    return metadata(Map.of("filename", filename, "to", "bob"));
  }

  private static String errorCode(HttpResponse<?> response) throws Exception {
    String body = response.body() instanceof byte[] bytes ? new String(bytes) : (String) response.body();
    return JSON.readTree(body).path("error").path("code").asText();
  }

  private static HttpResponse<String> deleteFile(String token, String fileId) {
    return tus.send("DELETE", "/api/v1/files/" + fileId, token, headers(), null);
  }

  @Test
  void aCreationPastTheQuotaIsRefusedAndTerminatingAnUploadFreesItsShare() throws Exception {
    String alice = newSender();
    String first = tus.createdPath(alice, 600, toBob("a.bin"));

    HttpResponse<String> over = tus.create(alice, 401, toBob("b.bin"));
    assertThat(over.statusCode()).isEqualTo(413);
    assertThat(errorCode(over)).isEqualTo("quota_exceeded");
    assertThat(tus.create(alice, 400, toBob("c.bin")).statusCode()).isEqualTo(201);

    assertThat(tus.delete(alice, first).statusCode()).isEqualTo(204);
    assertThat(tus.create(alice, 600, toBob("d.bin")).statusCode()).isEqualTo(201);
  }

  @Test
  void aCompletedFileKeepsItsShareUntilItsSenderDeletesIt() throws Exception {
    String alice = newSender();
    String fileId = tus.uploadWhole(alice, new byte[600], "notes.bin", "bob");

    assertThat(errorCode(tus.create(alice, 401, toBob("more.bin")))).isEqualTo("quota_exceeded");
    assertThat(tus.create(alice, 400, toBob("fits.bin")).statusCode()).isEqualTo(201);

    assertThat(deleteFile(alice, fileId).statusCode()).isEqualTo(204);
    assertThat(Files.exists(server.dataDir().resolve("files").resolve(fileId))).isFalse();
    assertThat(tus.create(alice, 600, toBob("again.bin")).statusCode()).isEqualTo(201);
  }

  @Test
  void onlyTheSenderMayDeleteAFileAndADeletedFileIsGoneButStaysInHistory() throws Exception {
    String alice = newSender();
    String fileId = tus.uploadWhole(alice, "hello".getBytes(), "hello.txt", "bob");

    HttpResponse<String> byRecipient = deleteFile(bob, fileId);
    assertThat(byRecipient.statusCode()).isEqualTo(404);
    assertThat(errorCode(byRecipient)).isEqualTo("not_found");
    assertThat(deleteFile(eve, fileId).statusCode()).isEqualTo(404);
    assertThat(deleteFile(null, fileId).statusCode()).isEqualTo(401);
    assertThat(tus.download(bob, fileId, Map.of()).statusCode()).isEqualTo(200);
    assertThat(fileInHistory(alice).has("deleted")).isFalse();

    assertThat(deleteFile(alice, fileId).statusCode()).isEqualTo(204);

    HttpResponse<byte[]> download = tus.download(bob, fileId, Map.of());
    assertThat(download.statusCode()).isEqualTo(410);
    assertThat(errorCode(download)).isEqualTo("gone");
    assertThat(tus.download(alice, fileId, Map.of()).statusCode()).isEqualTo(410);
    assertThat(tus.download(eve, fileId, Map.of()).statusCode()).isEqualTo(404);
    assertThat(errorCode(deleteFile(alice, fileId))).isEqualTo("gone");
    JsonNode file = fileInHistory(alice);
    assertThat(file.get("id").asText()).isEqualTo(fileId);
    assertThat(file.get("deleted").asBoolean()).isTrue();
  }

  /** The file of the newest message between the user and bob. */
  private static JsonNode fileInHistory(String token) {
    JsonNode messages = http.get("/api/v1/messages?with=bob", token).body().get("messages");
    return messages.get(messages.size() - 1).get("file");
  }

  @Test
  void aDeferredLengthCountsItsBytesAndIsCheckedWhenDeclared() throws Exception {
    String alice = newSender();
    HttpResponse<String> created =
        tus.send("POST", "/api/v1/uploads", alice, headers("Upload-Defer-Length", "1", "Upload-Metadata", toBob("d.bin")), null);
    assertThat(created.statusCode()).isEqualTo(201);
    String path = created.headers().firstValue("Location").orElseThrow();
    assertThat(tus.patch(alice, path, 0, new byte[600]).statusCode()).isEqualTo(204);

    assertThat(errorCode(tus.create(alice, 401, toBob("other.bin")))).isEqualTo("quota_exceeded");

    HttpResponse<String> declared = tus.patch(alice, path, 600, new byte[0], headers("Upload-Length", "1001"));
    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(errorCode(declared)).isEqualTo("quota_exceeded");
    HttpResponse<String> tooMuch = tus.patch(alice, path, 600, new byte[401]);
    assertThat(tooMuch.statusCode()).isEqualTo(413);
    assertThat(errorCode(tooMuch)).isEqualTo("quota_exceeded");

    assertThat(tus.patch(alice, path, 600, new byte[400], headers("Upload-Length", "1000")).statusCode()).isEqualTo(204);
    assertThat(errorCode(tus.create(alice, 1, toBob("full.bin")))).isEqualTo("quota_exceeded");
  }

  @Test
  void anExpiredUploadNoLongerCounts() throws Exception {
    String alice = newSender();
    tus.createdPath(alice, 1000, toBob("stale.bin"));
    assertThat(errorCode(tus.create(alice, 1, toBob("blocked.bin")))).isEqualTo("quota_exceeded");

    clock.advance(Duration.ofDays(1).plusMinutes(1));

    assertThat(tus.create(alice, 1000, toBob("fresh.bin")).statusCode()).isEqualTo(201);
  }
}
