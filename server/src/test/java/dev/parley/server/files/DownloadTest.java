package dev.parley.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import dev.parley.server.testing.Tus;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 9110 downloads: ranges, If-Range, 416, HEAD, who may read, and names that try to escape. */
@ParleyServerTest
class DownloadTest {
  private static final byte[] FILE = new byte[10_000];
  private static TestServer server;
  private static Tus tus;
  private static String alice;
  private static String bob;
  private static String eve;
  private static String fileId;
  private static String etag;

  @BeforeAll
  static void uploadOneFile(TestServer testServer, Tus client, TestUsers users) {
    new Random(7).nextBytes(FILE);
    server = testServer;
    tus = client;
    alice = users.create("alice").token();
    bob = users.create("bob").token();
    eve = users.create("eve").token();
    fileId = upload(FILE, "data.bin");
    etag = "\"" + Tus.sha256Hex(FILE) + "\"";
  }

  private static String upload(byte[] bytes, String name) {
    return tus.uploadWhole(alice, bytes, name, "bob");
  }

  private static HttpResponse<byte[]> get(String range) {
    return tus.download(bob, fileId, range == null ? Map.of() : Map.of("Range", range));
  }

  @Test
  void theWholeFileAdvertisesRangesAndItsStrongEtag() {
    HttpResponse<byte[]> whole = get(null);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.body()).isEqualTo(FILE);
    assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
    assertThat(whole.headers().firstValue("ETag")).hasValue(etag);
    assertThat(whole.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    assertThat(whole.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }

  @Test
  void rangesOfEveryFormAreServedAsPartialContent() {
    record Case(String range, int first, int last) {}
    for (Case c : new Case[] {
        new Case("bytes=0-9", 0, 9),
        new Case("bytes=9000-", 9000, 9999),
        new Case("bytes=-500", 9500, 9999),
        new Case("bytes=9990-20000", 9990, 9999),
        new Case("bytes=-20000", 0, 9999),
    }) {
      HttpResponse<byte[]> part = get(c.range());
      assertThat(part.statusCode()).as(c.range()).isEqualTo(206);
      assertThat(part.headers().firstValue("Content-Range")).as(c.range()).hasValue("bytes " + c.first() + "-" + c.last() + "/10000");
      assertThat(part.body()).as(c.range()).isEqualTo(Arrays.copyOfRange(FILE, c.first(), c.last() + 1));
    }
  }

  @Test
  void aRangeWhollyPastTheEndIs416WithTheLength() {
    HttpResponse<byte[]> response = get("bytes=10000-");
    assertThat(response.statusCode()).isEqualTo(416);
    assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes */10000");
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("\"range_not_satisfiable\"");
  }

  @Test
  void anEmptySuffixRangeIs416() {
    HttpResponse<byte[]> response = get("bytes=-0");
    assertThat(response.statusCode()).isEqualTo(416);
    assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes */10000");
  }

  @Test
  void malformedOrMultipleRangesAreIgnored() {
    for (String ignored : new String[] {"bytes=5-2", "lines=1-2", "bytes=0-1,5-6", "bytes=x-y"}) {
      HttpResponse<byte[]> response = get(ignored);
      assertThat(response.statusCode()).as(ignored).isEqualTo(200);
      assertThat(response.body()).as(ignored).hasSize(10_000);
    }
  }

  @Test
  void ifRangeResumesOnlyTheSameFile() {
    HttpResponse<byte[]> same = tus.download(bob, fileId, Map.of("Range", "bytes=100-", "If-Range", etag));
    assertThat(same.statusCode()).isEqualTo(206);
    assertThat(same.body()).isEqualTo(Arrays.copyOfRange(FILE, 100, FILE.length));
    HttpResponse<byte[]> changed = tus.download(bob, fileId, Map.of("Range", "bytes=100-", "If-Range", "\"something-else\""));
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.body()).isEqualTo(FILE);
  }

  @Test
  void headGivesTheHeadersWithoutTheBody() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
      socket.getOutputStream().write(("HEAD /api/v1/files/" + fileId + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + bob
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(response).startsWith("HTTP/1.1 200 OK").contains("content-length: 10000").endsWith("\r\n\r\n");
    }
  }

  @Test
  void onlyTheSenderAndTheRecipientMayDownload() {
    assertThat(tus.download(alice, fileId, Map.of()).statusCode()).isEqualTo(200);
    assertThat(tus.download(eve, fileId, Map.of()).statusCode()).isEqualTo(404);
    assertThat(tus.download(null, fileId, Map.of()).statusCode()).isEqualTo(401);
    assertThat(tus.download(bob, "0123456789abcdef0123456789abcdef", Map.of()).statusCode()).isEqualTo(404);
    assertThat(tus.download(bob, "..%2F..%2Fparley.db", Map.of()).statusCode()).isEqualTo(404);
  }

  @Test
  void hostileFileNamesNeverReachTheFileSystemOrAHeaderUnescaped() throws Exception {
    try (FrameClient bobOnline = Transport.TCP.connect(server, bob, Long.MAX_VALUE)) {
      String id = upload("evil".getBytes(StandardCharsets.UTF_8), "../../etc/passwd\r\nX-Evil: 1");
      ServerFrame.Message message = bobOnline.nextMatching(ServerFrame.Message.class, m -> m.file() != null);
      assertThat(message.file().name()).isEqualTo("passwdX-Evil: 1");
      HttpResponse<byte[]> download = tus.download(bob, id, Map.of());
      assertThat(download.headers().map()).doesNotContainKey("x-evil");
      assertThat(download.headers().firstValue("Content-Disposition"))
          .hasValue("attachment; filename=\"passwdX-Evil: 1\"; filename*=UTF-8''passwdX-Evil%3A%201");
      try (Stream<Path> stored = Files.walk(server.dataDir())) {
        assertThat(stored.map(p -> p.getFileName().toString())).doesNotContain("passwd").contains(id);
      }
    }
  }

  @Test
  void aZeroByteFileHasNoSatisfiableRange() {
    String empty = upload(new byte[0], "empty");
    assertThat(tus.download(bob, empty, Map.of()).body()).isEmpty();
    assertThat(tus.download(bob, empty, Map.of("Range", "bytes=0-")).statusCode()).isEqualTo(416);
  }

}
