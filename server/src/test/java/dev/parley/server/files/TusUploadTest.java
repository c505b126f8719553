package dev.parley.server.files;

import static dev.parley.server.testing.Tus.headers;
import static dev.parley.server.testing.Tus.metadata;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.ServerSetting;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import dev.parley.server.testing.Tus;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** tus 1.0.0 conformance: every status code the server uses, and the file message at the end. */
@ParleyServerTest
@ServerSetting(key = "max-file-bytes", value = "1048576")
@ServerSetting(key = "max-uploads-per-user", value = "5")
class TusUploadTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Connect with this {@code since} to see only what is sent from now on, not other tests' files. */
  private static final Long LIVE_ONLY = Long.MAX_VALUE;
  private static TestServer server;
  private static Http http;
  private static Tus tus;
  private static String alice;
  private static String bob;
  private static String eve;
  private static TestUsers users;

  @BeforeAll
  static void logInAliceBobAndEve(TestServer testServer, Http httpClient, Tus tusClient, TestUsers testUsers) {
    server = testServer;
    http = httpClient;
    tus = tusClient;
    users = testUsers;
    alice = users.create("alice").token();
    bob = users.create("bob").token();
    eve = users.create("eve").token();
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static String toBob(String filename) {
    return metadata(Map.of("filename", filename, "to", "bob"));
  }

  private static String errorCode(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body()).path("error").path("code").asText();
  }

  @Test
  void optionsAdvertisesTheProtocolWithoutAuthentication() {
    HttpResponse<String> options = tus.send("OPTIONS", "/api/v1/uploads", null, headers(), null);
    assertThat(options.statusCode()).isEqualTo(204);
    assertThat(options.headers().firstValue("Tus-Version")).hasValue("1.0.0");
    assertThat(options.headers().firstValue("Tus-Extension"))
        .hasValue("creation,creation-with-upload,creation-defer-length,expiration,checksum,termination");
    assertThat(options.headers().firstValue("Tus-Max-Size")).hasValue(String.valueOf(1 << 20));
    assertThat(options.headers().firstValue("Tus-Checksum-Algorithm")).hasValue("sha1,sha256,crc32c");
  }

  @Test
  void aFileUploadedInTwoPatchesBecomesAMessageAndDownloadsIdentically() throws Exception {
    byte[] file = randomBytes(300_000, 1);
    String sha256 = Tus.sha256Hex(file);
    try (FrameClient bobOnline = Transport.WEBSOCKET.connect(server, bob, LIVE_ONLY)) {
      String path = tus.createdPath(alice, file.length,
          metadata(Map.of("filename", "报告 2026.pdf", "to", "bob", "type", "application/pdf", "sha256", sha256)));
      assertThat(path).matches("/api/v1/uploads/[0-9a-f]{32}");

      HttpResponse<String> head = tus.head(alice, path);
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.headers().firstValue("Upload-Offset")).hasValue("0");
      assertThat(head.headers().firstValue("Upload-Length")).hasValue("300000");
      assertThat(head.headers().firstValue("Cache-Control")).hasValue("no-store");
      assertThat(head.headers().firstValue("Upload-Expires")).isPresent();
      assertThat(head.headers().firstValue("Tus-Resumable")).hasValue("1.0.0");

      HttpResponse<String> first = tus.patch(alice, path, 0, Arrays.copyOfRange(file, 0, 100_000));
      assertThat(first.statusCode()).isEqualTo(204);
      assertThat(first.headers().firstValue("Upload-Offset")).hasValue("100000");
      assertThat(first.headers().firstValue("Content-Length")).isEmpty();
      assertThat(tus.head(alice, path).headers().firstValue("Upload-Offset")).hasValue("100000");

      HttpResponse<String> last = tus.patch(alice, path, 100_000, Arrays.copyOfRange(file, 100_000, file.length));
      assertThat(last.statusCode()).isEqualTo(204);
      assertThat(last.headers().firstValue("Upload-Offset")).hasValue("300000");

      ServerFrame.Message message = bobOnline.next(ServerFrame.Message.class);
      assertThat(message.from()).isEqualTo("alice");
      assertThat(message.to()).isEqualTo("bob");
      assertThat(message.text()).isNull();
      assertThat(message.file().name()).isEqualTo("报告 2026.pdf");
      assertThat(message.file().size()).isEqualTo(300_000);
      assertThat(message.file().sha256()).isEqualTo(sha256);
      assertThat(message.file().type()).isEqualTo("application/pdf");
      assertThat(message.file().id()).isEqualTo(path.substring(path.lastIndexOf('/') + 1));

      HttpResponse<byte[]> download = tus.download(bob, message.file().id(), Map.of());
      assertThat(download.statusCode()).isEqualTo(200);
      assertThat(download.body()).isEqualTo(file);
      assertThat(download.headers().firstValue("ETag")).hasValue("\"" + sha256 + "\"");
      assertThat(download.headers().firstValue("Content-Disposition"))
          .hasValue("attachment; filename=\"bao gao 2026.pdf\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A%202026.pdf");
      assertThat(tus.download(alice, message.file().id(), Map.of()).body()).isEqualTo(file);

      // Finished uploads are gone; the message stays in history for both.
      assertThat(tus.head(alice, path).statusCode()).isEqualTo(404);
      JsonNode history = http.get("/api/v1/messages?with=alice", bob).body().get("messages");
      assertThat(history.get(history.size() - 1).get("file").get("sha256").asText()).isEqualTo(sha256);
    }
  }

  @Test
  void tusJsClientsFiletypeIsTheFileType() {
    byte[] file = randomBytes(10, 3);
    try (FrameClient bobOnline = Transport.TCP.connect(server, bob, LIVE_ONLY)) {
      String path = tus.createdPath(alice, file.length, metadata(Map.of("filename", "图.png", "filetype", "image/png", "to", "bob")));
      assertThat(tus.patch(alice, path, 0, file).statusCode()).isEqualTo(204);
      assertThat(bobOnline.nextMatching(ServerFrame.Message.class, m -> m.file() != null).file().type()).isEqualTo("image/png");
    }
  }

  @Test
  void anOfflineRecipientGetsTheFileMessageOnNextWelcome() {
    byte[] file = randomBytes(1000, 2);
    String path = tus.createdPath(alice, file.length, toBob("later.bin"));
    assertThat(tus.patch(alice, path, 0, file).statusCode()).isEqualTo(204);
    try (FrameClient bobLater = Transport.TCP.connect(server, bob, null)) {
      assertThat(bobLater.nextMatching(ServerFrame.Message.class, m -> m.file() != null && m.file().name().equals("later.bin"))
          .file().size()).isEqualTo(1000);
    }
  }

  @Test
  void requestsWithoutTheTusVersionAreRefusedWith412() throws Exception {
    HttpResponse<String> response =
        tus.send("POST", "/api/v1/uploads", alice, headers("Tus-Resumable", "0.2.2", "Upload-Length", "5"), null);
    assertThat(response.statusCode()).isEqualTo(412);
    assertThat(response.headers().firstValue("Tus-Version")).hasValue("1.0.0");
    assertThat(errorCode(response)).isEqualTo("unsupported_version");
  }

  @Test
  void everyRequestNeedsAToken() throws Exception {
    HttpResponse<String> response = tus.create(null, 5, toBob("a.txt"));
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(errorCode(response)).isEqualTo("unauthorized");
  }

  @Test
  void creationChecksLengthAndMetadata() throws Exception {
    assertThat(tus.create(alice, (1 << 20) + 1, toBob("big.iso")).statusCode()).isEqualTo(413);
    HttpResponse<String> noName = tus.create(alice, 5, metadata(Map.of("to", "bob")));
    assertThat(noName.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(noName.body()).path("error").path("message").asText()).isEqualTo("Upload-Metadata needs 'filename'");
    assertThat(tus.create(alice, 5, metadata(Map.of("filename", "a"))).statusCode()).isEqualTo(400);
    assertThat(tus.create(alice, 5, metadata(Map.of("filename", "a", "to", "nobody"))).statusCode()).isEqualTo(400);
    assertThat(tus.create(alice, 5, "filename !!!notbase64").statusCode()).isEqualTo(400);
    assertThat(tus.send("POST", "/api/v1/uploads", alice, headers("Upload-Metadata", toBob("a")), null).statusCode())
        .isEqualTo(400);
  }

  @Test
  void onlyTheUploaderSeesAnUpload() {
    String path = tus.createdPath(alice, 10, toBob("mine.txt"));
    assertThat(tus.head(eve, path).statusCode()).isEqualTo(404);
    assertThat(tus.patch(eve, path, 0, new byte[10]).statusCode()).isEqualTo(404);
    assertThat(tus.delete(eve, path).statusCode()).isEqualTo(404);
    assertThat(tus.head(alice, path).statusCode()).isEqualTo(200);
    assertThat(tus.head(alice, "/api/v1/uploads/0123456789abcdef0123456789abcdef").statusCode()).isEqualTo(404);
    assertThat(tus.head(alice, "/api/v1/uploads/..%2F..%2Fparley.db").statusCode()).isEqualTo(404);
  }

  @Test
  void patchChecksContentTypeOffsetAndLength() throws Exception {
    String path = tus.createdPath(alice, 10, toBob("strict.txt"));
    HttpResponse<String> wrongType =
        tus.patch(alice, path, 0, new byte[5], headers("Content-Type", "application/octet-stream"));
    assertThat(wrongType.statusCode()).isEqualTo(415);
    HttpResponse<String> wrongOffset = tus.patch(alice, path, 3, new byte[5]);
    assertThat(wrongOffset.statusCode()).isEqualTo(409);
    assertThat(errorCode(wrongOffset)).isEqualTo("offset_mismatch");
    HttpResponse<String> pastTheEnd = tus.patch(alice, path, 0, new byte[11]);
    assertThat(pastTheEnd.statusCode()).isEqualTo(413);
    assertThat(tus.head(alice, path).headers().firstValue("Upload-Offset")).hasValue("0");
    assertThat(tus.patch(alice, path, 0, new byte[5]).headers().firstValue("Upload-Offset")).hasValue("5");
  }

  @Test
  void aChunkThatFailsItsChecksumIsDiscarded() throws Exception {
    byte[] file = randomBytes(2000, 3);
    String path = tus.createdPath(alice, file.length, metadata(Map.of("filename", "sum.bin", "to", "bob", "sha256", Tus.sha256Hex(file))));
    byte[] firstHalf = Arrays.copyOfRange(file, 0, 1000);
    byte[] secondHalf = Arrays.copyOfRange(file, 1000, 2000);

    HttpResponse<String> good = tus.patch(alice, path, 0, firstHalf, headers("Upload-Checksum", Tus.checksum("sha1", firstHalf)));
    assertThat(good.statusCode()).isEqualTo(204);
    HttpResponse<String> corrupt =
        tus.patch(alice, path, 1000, secondHalf, headers("Upload-Checksum", Tus.checksum("sha256", firstHalf)));
    assertThat(corrupt.statusCode()).isEqualTo(460);
    assertThat(errorCode(corrupt)).isEqualTo("checksum_mismatch");
    assertThat(tus.head(alice, path).headers().firstValue("Upload-Offset")).hasValue("1000");

    HttpResponse<String> unknown = tus.patch(alice, path, 1000, secondHalf, headers("Upload-Checksum", "md5 AAAA"));
    assertThat(unknown.statusCode()).isEqualTo(400);
    HttpResponse<String> retried =
        tus.patch(alice, path, 1000, secondHalf, headers("Upload-Checksum", Tus.checksum("sha256", secondHalf)));
    assertThat(retried.statusCode()).isEqualTo(204);
    assertThat(retried.headers().firstValue("Upload-Offset")).hasValue("2000");
  }

  @Test
  void bodiesOfManyPiecesWithChecksumsCompleteAFileOfTheDeclaredSha256() throws Exception {
    // Each body's digest and the whole file's are computed side by side over many batches: a
    // byte missed or hashed twice by either makes the body or the file fail its SHA-256.
    byte[] file = randomBytes(1 << 20, 6); // the test server's largest file
    String path = tus.createdPath(alice, file.length, metadata(Map.of("filename", "big.bin", "to", "bob", "sha256", Tus.sha256Hex(file))));
    int half = (1 << 20) / 2 + 7;
    byte[] first = Arrays.copyOfRange(file, 0, half);
    byte[] second = Arrays.copyOfRange(file, half, file.length);

    assertThat(tus.patch(alice, path, 0, first, headers("Upload-Checksum", Tus.checksum("sha256", first))).statusCode())
        .isEqualTo(204);
    HttpResponse<String> last = tus.patch(alice, path, half, second, headers("Upload-Checksum", Tus.checksum("sha256", second)));

    assertThat(last.statusCode()).as(last.body()).isEqualTo(204);
    assertThat(last.headers().firstValue("Upload-Offset")).hasValue(String.valueOf(file.length));
  }

  @Test
  void bodiesWithCrc32cChecksumsAreCheckedLikeShaOnes() throws Exception {
    // The Java client's checksum: the body is checked on the same pass as the whole file's SHA-256.
    byte[] file = randomBytes(1 << 20, 7);
    String path = tus.createdPath(alice, file.length, metadata(Map.of("filename", "crc.bin", "to", "bob", "sha256", Tus.sha256Hex(file))));
    int half = (1 << 20) / 2 + 3;
    byte[] first = Arrays.copyOfRange(file, 0, half);
    byte[] second = Arrays.copyOfRange(file, half, file.length);
    byte[] damaged = second.clone();
    damaged[damaged.length / 2] ^= 0x10;

    assertThat(tus.patch(alice, path, 0, first, headers("Upload-Checksum", Tus.checksum("crc32c", first))).statusCode())
        .isEqualTo(204);
    HttpResponse<String> corrupt = tus.patch(alice, path, half, damaged, headers("Upload-Checksum", Tus.checksum("crc32c", second)));
    assertThat(corrupt.statusCode()).isEqualTo(460);
    assertThat(errorCode(corrupt)).isEqualTo("checksum_mismatch");
    assertThat(tus.head(alice, path).headers().firstValue("Upload-Offset")).hasValue(String.valueOf(half));
    HttpResponse<String> last = tus.patch(alice, path, half, second, headers("Upload-Checksum", Tus.checksum("crc32c", second)));

    assertThat(last.statusCode()).as(last.body()).isEqualTo(204);
    assertThat(last.headers().firstValue("Upload-Offset")).hasValue(String.valueOf(file.length));
  }

  @Test
  void aWholeFileThatDoesNotMatchItsSha256IsRefusedAndNoMessageIsSent() throws Exception {
    byte[] file = randomBytes(500, 4);
    String declared = Tus.sha256Hex(randomBytes(500, 5));
    try (FrameClient bobOnline = Transport.TCP.connect(server, bob, LIVE_ONLY)) {
      String path = tus.createdPath(alice, file.length, metadata(Map.of("filename", "wrong.bin", "to", "bob", "sha256", declared)));
      HttpResponse<String> last = tus.patch(alice, path, 0, file);
      assertThat(last.statusCode()).isEqualTo(460);
      assertThat(JSON.readTree(last.body()).path("error").path("message").asText())
          .startsWith("the file's SHA-256 is " + Tus.sha256Hex(file));
      assertThat(tus.head(alice, path).statusCode()).isEqualTo(404);
      bobOnline.send(new ClientFrame.Ping("nothing before this"));
      assertThat(bobOnline.next()).isEqualTo(new ServerFrame.Pong("nothing before this"));
    }
  }

  @Test
  void terminationDeletesTheUpload() {
    String path = tus.createdPath(alice, 10, toBob("gone.txt"));
    assertThat(tus.patch(alice, path, 0, new byte[4]).statusCode()).isEqualTo(204);
    assertThat(tus.delete(alice, path).statusCode()).isEqualTo(204);
    assertThat(tus.head(alice, path).statusCode()).isEqualTo(404);
    assertThat(server.dataDir().resolve("uploads").toFile().list()).noneMatch(name -> path.endsWith(name.replace(".part", "")));
  }

  @Test
  void deferredLengthIsDeclaredByALaterPatch() {
    HttpResponse<String> created =
        tus.send("POST", "/api/v1/uploads", alice, headers("Upload-Defer-Length", "1", "Upload-Metadata", toBob("stream.log")), null);
    assertThat(created.statusCode()).isEqualTo(201);
    String path = created.headers().firstValue("Location").orElseThrow();
    assertThat(tus.head(alice, path).headers().firstValue("Upload-Defer-Length")).hasValue("1");
    assertThat(tus.patch(alice, path, 0, new byte[3]).statusCode()).isEqualTo(204);
    HttpResponse<String> last = tus.patch(alice, path, 3, new byte[3], headers("Upload-Length", "6"));
    assertThat(last.statusCode()).isEqualTo(204);
    assertThat(last.headers().firstValue("Upload-Offset")).hasValue("6");
    assertThat(tus.head(alice, path).statusCode()).isEqualTo(404);
  }

  @Test
  void aPatchRefusedAsTooLargeRecordsNeitherItsLengthNorItsBytes() {
    HttpResponse<String> created =
        tus.send("POST", "/api/v1/uploads", alice, headers("Upload-Defer-Length", "1", "Upload-Metadata", toBob("refused.log")), null);
    String path = created.headers().firstValue("Location").orElseThrow();
    assertThat(tus.patch(alice, path, 0, new byte[3]).statusCode()).isEqualTo(204);

    HttpResponse<String> tooLarge = tus.patch(alice, path, 3, new byte[10], headers("Upload-Length", "6"));

    assertThat(tooLarge.statusCode()).isEqualTo(413);
    HttpResponse<String> after = tus.head(alice, path);
    assertThat(after.headers().firstValue("Upload-Defer-Length")).hasValue("1");
    assertThat(after.headers().firstValue("Upload-Length")).isEmpty();
    assertThat(after.headers().firstValue("Upload-Offset")).hasValue("3");
    HttpResponse<String> last = tus.patch(alice, path, 3, new byte[5], headers("Upload-Length", "8"));
    assertThat(last.statusCode()).isEqualTo(204);
    assertThat(last.headers().firstValue("Upload-Offset")).hasValue("8");
  }

  @Test
  void creationWithUploadStoresTheBodyAtOnce() {
    byte[] file = randomBytes(64, 6);
    Map<String, String> headers = headers(
        "Upload-Length", "64", "Upload-Metadata", toBob("inline.bin"), "Content-Type", "application/offset+octet-stream");
    HttpResponse<String> created = tus.send("POST", "/api/v1/uploads", alice, headers, file);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("Upload-Offset")).hasValue("64");
  }

  @Test
  void methodOverrideLetsAPostActAsAPatch() {
    String path = tus.createdPath(alice, 8, toBob("override.bin"));
    Map<String, String> headers = headers(
        "X-HTTP-Method-Override", "PATCH", "Content-Type", "application/offset+octet-stream", "Upload-Offset", "0");
    HttpResponse<String> response = tus.send("POST", path, alice, headers, new byte[8]);
    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.headers().firstValue("Upload-Offset")).hasValue("8");
  }

  @Test
  void aZeroByteFileIsCompleteAtCreation() {
    try (FrameClient bobOnline = Transport.TCP.connect(server, bob, LIVE_ONLY)) {
      HttpResponse<String> created = tus.create(alice, 0, toBob("empty.txt"));
      assertThat(created.statusCode()).isEqualTo(201);
      ServerFrame.Message message = bobOnline.nextMatching(ServerFrame.Message.class, m -> m.file() != null);
      assertThat(message.file().size()).isZero();
      assertThat(message.file().sha256()).isEqualTo(Tus.sha256Hex(new byte[0]));
      HttpResponse<byte[]> download = tus.download(bob, message.file().id(), Map.of());
      assertThat(download.statusCode()).isEqualTo(200);
      assertThat(download.body()).isEmpty();
    }
  }

  @Test
  void tooManyUploadsInProgressAreRateLimited() throws Exception {
    String carol = users.create("carol").token();
    for (int i = 0; i < 5; i++) {
      assertThat(tus.create(carol, 10, toBob("c" + i)).statusCode()).isEqualTo(201);
    }
    HttpResponse<String> sixth = tus.create(carol, 10, toBob("c5"));
    assertThat(sixth.statusCode()).isEqualTo(429);
    assertThat(errorCode(sixth)).isEqualTo("rate_limited");
  }
}
