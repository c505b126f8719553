package dev.parley.app;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.client.FileFingerprint;
import dev.parley.client.JsonUploadUrlStore;
import dev.parley.client.ParleyClient;
import dev.parley.client.ProgressListener;
import dev.parley.client.UploadOptions;
import dev.parley.client.UploadUrlStore;
import dev.parley.protocol.ByeReason;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.LineClient;
import dev.parley.server.testing.TestUsers;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley server} as a real process: signals, exit status, and what survives a kill -9 (messages, uploads). */
class ServerProcessTest {
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration AWAIT_ACKS = Duration.ofSeconds(60);
  private static final int MIB = 1 << 20;

  @TempDir Path temp;

  /** A data directory whose config file (found there by default) makes Argon2 cheap for tests. */
  private Path dataDir() throws Exception {
    Path dataDir = Files.createDirectories(temp.resolve("data"));
    Files.writeString(dataDir.resolve("parley.properties"), "argon2-memory-kib=1024\nargon2-iterations=1\n");
    return dataDir;
  }

  @Test
  void sigtermSaysByeToEveryClientAndExitsZero() throws Exception {
    try (ServerProcess server = ServerProcess.start(dataDir(), temp.resolve("server.log"))) {
      String token = new TestUsers(server.http()).create("alice").token();
      try (LineClient client = LineClient.connect(server.tcpPort())) {
        client.auth(token, null);

        // SIGTERM on Linux. Through the handle, because Process.destroy() also closes our end of
        // stdout, which the test still reads.
        server.process().toHandle().destroy();

        assertThat(client.nextMatching(ServerFrame.Bye.class, bye -> true).reason()).isEqualTo(ByeReason.SHUTDOWN);
        client.awaitClosed();
      }
      assertThat(server.awaitExit(EXIT_TIMEOUT)).as("exit status").isZero();
      assertThat(server.remainingStdout()).as("stdout after the listening line")
          .isEqualTo("open " + server.http() + "/ in a browser\n");
      assertThat(server.log()).doesNotContain(PASSWORD).doesNotContain(token);
    }
  }

  @Test
  void aServerOnAnEmptyDataDirectoryWarnsOfTheDatabaseInTheDefaultOne() throws Exception {
    Path workingDir = Files.createDirectories(temp.resolve("work"));
    Path usual = workingDir.resolve("parley-data");
    InProcessCli.Run created =
        new InProcessCli(temp.resolve("home")).run("admin", "create-users", "--data-dir", usual.toString(), "--count", "1");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    String warning = "parley: warning: starting with an empty data directory";

    try (ServerProcess server = ServerProcess.startIn(workingDir, workingDir.resolve("empty"), temp.resolve("empty.log"))) {
      assertThat(server.log()).contains(warning + " " + workingDir.resolve("empty") + ", but " + usual + " holds a Parley database");
    }
    try (ServerProcess server = ServerProcess.startIn(workingDir, usual, temp.resolve("usual.log"))) {
      assertThat(server.log()).doesNotContain(warning);
    }
  }

  @Test
  void everyAckedMessageSurvivesKillDashNine() throws Exception {
    Path dataDir = dataDir();
    int count = 200;
    Map<Long, String> acked = new HashMap<>();
    try (ServerProcess server = ServerProcess.start(dataDir, temp.resolve("first.log"))) {
      try (LineClient alice = aliceWithBob(server)) {
        Map<String, String> textById = new HashMap<>();
        for (int i = 0; i < count; i++) {
          String id = "m" + i;
          String text = "消息 " + i + " — survives";
          textById.put(id, text);
          alice.send(new ClientFrame.Send(id, "bob", text));
        }
        collectAcks(alice, textById, acked, count);

        server.process().destroyForcibly(); // SIGKILL: no shutdown, no flush, nothing
      }
      assertThat(server.awaitExit(EXIT_TIMEOUT)).as("killed").isNotZero();
    }
    assertThat(acked).hasSize(count);

    try (ServerProcess restarted = ServerProcess.start(dataDir, temp.resolve("second.log"))) {
      Http http = new Http(restarted.http());
      String bob = new TestUsers(restarted.http()).login("bob").token();
      Map<Long, String> stored = new HashMap<>();
      wholeHistory(http, "with=alice", bob).forEach(m -> stored.put(m.get("seq").asLong(), m.get("text").asText()));

      assertThat(stored).containsExactlyInAnyOrderEntriesOf(acked);
      assertThat(searchAll(http, "survives", bob)).as("the search index commits with the messages")
          .containsExactlyInAnyOrderEntriesOf(acked);
    }
  }

  /** Creates bob and alice on the server, and returns alice's line connection, logged in. */
  private static LineClient aliceWithBob(ServerProcess server) {
    TestUsers users = new TestUsers(server.http());
    users.create("bob");
    users.create("alice");
    return loggedIn(server, "alice");
  }

  /**
   * The client ids recognised after a crash come from the log itself (the window of recent ids is
   * rebuilt from its tail on start): a client that resends everything it sent, acked or not, after
   * a kill -9 gets the first acks back and nothing is stored twice.
   */
  @Test
  void aRetryOfAnAckedClientIdAfterKillDashNineIsStoredOnce() throws Exception {
    Path dataDir = dataDir();
    int count = 100;
    Map<String, String> textById = new HashMap<>();
    for (int i = 0; i < count; i++) {
      textById.put("m" + i, "重试 " + i + " — once");
    }
    Map<Long, String> acked = new HashMap<>();
    try (ServerProcess server = ServerProcess.start(dataDir, temp.resolve("first.log"))) {
      try (LineClient alice = aliceWithBob(server)) {
        textById.forEach((id, text) -> alice.send(new ClientFrame.Send(id, "bob", text)));
        collectAcks(alice, textById, acked, count);

        server.process().destroyForcibly(); // SIGKILL right after the last ack
      }
      assertThat(server.awaitExit(EXIT_TIMEOUT)).as("killed").isNotZero();
    }
    assertThat(acked).hasSize(count);

    try (ServerProcess restarted = ServerProcess.start(dataDir, temp.resolve("second.log"))) {
      Map<Long, String> retried = new HashMap<>();
      try (LineClient alice = loggedIn(restarted, "alice")) {
        textById.forEach((id, text) -> alice.send(new ClientFrame.Send(id, "bob", text)));
        collectAcks(alice, textById, retried, count);
      }
      assertThat(retried).as("each retry is acked with the seq its first send was stored as")
          .containsExactlyInAnyOrderEntriesOf(acked);

      Http http = new Http(restarted.http());
      String bob = new TestUsers(restarted.http()).login("bob").token();
      List<JsonNode> history = wholeHistory(http, "with=alice", bob);
      assertThat(history).as("stored once each").hasSize(count);
      assertThat(searchAll(http, "once", bob)).containsExactlyInAnyOrderEntriesOf(acked);
    }
  }

  /** Every hit of a search, paged back with {@code before}. */
  private static Map<Long, String> searchAll(Http http, String q, String token) {
    Map<Long, String> hits = new HashMap<>();
    String before = "";
    while (true) {
      JsonNode page = http.get("/api/v1/search?limit=100&q=" + q + before, token).body().get("messages");
      if (page.isEmpty()) {
        return hits;
      }
      page.forEach(m -> hits.put(m.get("seq").asLong(), m.get("text").asText()));
      before = "&before=" + page.get(page.size() - 1).get("seq").asLong();
    }
  }

  @Test
  void everyAckedRoomMessageAndMembershipEntrySurvivesKillDashNine() throws Exception {
    Path dataDir = dataDir();
    int count = 200;
    Map<Long, String> acked = new HashMap<>();
    String room;
    try (ServerProcess server = ServerProcess.start(dataDir, temp.resolve("first.log"))) {
      try (LineClient alice = aliceWithBob(server)) {
        alice.send(new ClientFrame.CreateRoom("c", "实验室", List.of("bob"), false));
        ServerFrame.Room created = alice.nextMatching(ServerFrame.Room.class, r -> "c".equals(r.id()));
        room = created.room().room();
        acked.put(-1L, "created");
        acked.put(-2L, "added");
        Map<String, String> textById = new HashMap<>();
        for (int i = 0; i < count; i++) {
          String id = "r" + i;
          textById.put(id, "房间消息 " + i);
          alice.send(ClientFrame.Send.toRoom(id, room, textById.get(id)));
        }
        collectAcks(alice, textById, acked, count + 2);

        server.process().destroyForcibly(); // SIGKILL: no shutdown, no flush, nothing
      }
      assertThat(server.awaitExit(EXIT_TIMEOUT)).as("killed").isNotZero();
    }
    assertThat(acked).hasSize(count + 2);

    try (ServerProcess restarted = ServerProcess.start(dataDir, temp.resolve("second.log"))) {
      Http http = new Http(restarted.http());
      String bob = new TestUsers(restarted.http()).login("bob").token();
      Map<Long, String> stored = new HashMap<>();
      wholeHistory(http, "room=" + room, bob).forEach(m -> {
        if (m.has("event")) {
          stored.put(m.get("event").get("kind").asText().equals("created") ? -1L : -2L, m.get("event").get("kind").asText());
        } else {
          stored.put(m.get("seq").asLong(), m.get("text").asText());
        }
      });

      assertThat(stored).containsExactlyInAnyOrderEntriesOf(acked);
    }
  }

  /**
   * A PATCH cut off by SIGKILL in the middle of its body: after the restart the server's offset
   * is one it had forced to disk (never more than arrived), the bytes up to it are the file's, and
   * the client library resumes from there to a file whose SHA-256 the server verified.
   */
  @Test
  void anUploadCutByKillDashNineResumesFromBytesReallyOnDisk() throws Exception {
    Path dataDir = dataDir();
    byte[] bytes = new byte[64 * MIB];
    new Random(64).nextBytes(bytes);
    Path file = Files.write(temp.resolve("film.bin"), bytes);
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    String id;
    try (ServerProcess server = ServerProcess.start(dataDir, temp.resolve("first.log"))) {
      TestUsers users = new TestUsers(server.http());
      users.create("bob");
      String alice = users.create("alice").token();
      URI upload = createUpload(server.http(), alice, bytes.length, sha256);
      id = upload.getPath().substring(upload.getPath().lastIndexOf('/') + 1);
      assertThat(patch(upload, alice, 0, Arrays.copyOf(bytes, 32 * MIB))).as("first PATCH").isEqualTo(32 * MIB);

      // The second PATCH announces the remaining 32 MiB and sends 20 MiB of them, no checksum, so
      // the server keeps what arrives. It forces progress to disk every 16 MiB, which HEAD shows.
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.http().getPort())) {
        OutputStream out = socket.getOutputStream();
        out.write(("PATCH " + upload.getPath() + " HTTP/1.1\r\n"
            + "Host: 127.0.0.1:" + server.http().getPort() + "\r\n"
            + "Authorization: Bearer " + alice + "\r\n"
            + "Tus-Resumable: 1.0.0\r\n"
            + "Upload-Offset: " + 32 * MIB + "\r\n"
            + "Content-Type: application/offset+octet-stream\r\n"
            + "Content-Length: " + 32 * MIB + "\r\n\r\n").getBytes(UTF_8));
        for (int sent = 0; sent < 20 * MIB; sent += MIB) {
          out.write(bytes, 32 * MIB + sent, MIB);
        }
        out.flush();
        await().atMost(AWAIT_ACKS).until(() -> offset(upload, alice) > 32 * MIB);

        server.process().destroyForcibly(); // SIGKILL mid-body
        assertThat(server.awaitExit(EXIT_TIMEOUT)).as("killed").isNotZero();
      }
    }

    try (ServerProcess restarted = ServerProcess.start(dataDir, temp.resolve("second.log"));
        ParleyClient client = new ParleyClient(restarted.http())) {
      String alice = client.login("alice", PASSWORD).token();
      URI upload = restarted.http().resolve("/api/v1/uploads/" + id);
      long offset = offset(upload, alice);
      assertThat(offset).as("durable offset after the restart").isGreaterThan(32 * MIB).isLessThanOrEqualTo(52 * MIB);
      byte[] onDisk = Files.readAllBytes(dataDir.resolve("uploads").resolve(id + ".part"));
      assertThat((long) onDisk.length).isGreaterThanOrEqualTo(offset);
      assertThat(Arrays.equals(onDisk, 0, (int) offset, bytes, 0, (int) offset)).as("the prefix on disk is the file's").isTrue();

      // The library finds the upload where an interrupted 'parley upload' would have left it.
      JsonUploadUrlStore store = new JsonUploadUrlStore(temp.resolve("uploads.json"));
      store.remember(FileFingerprint.of(restarted.http(), "bob", file).key(),
          new UploadUrlStore.Entry(upload, sha256, System.currentTimeMillis()));
      List<Long> resumedFrom = new ArrayList<>();
      ProgressListener progress = new ProgressListener() {
        @Override
        public void onStart(long from, long total) {
          resumedFrom.add(from);
        }

        @Override
        public void onProgress(long done, long total) {}
      };

      ServerFrame.Message message =
          client.upload(alice, file, "bob", UploadOptions.defaults().withUrlStore(store).withProgress(progress));

      assertThat(resumedFrom).containsExactly(offset);
      assertThat(message.file().id()).isEqualTo(id);
      assertThat(message.file().size()).isEqualTo(bytes.length);
      assertThat(message.file().sha256()).isEqualTo(sha256);
      String bob = client.login("bob", PASSWORD).token();
      Path copy = client.download(bob, id, temp.resolve("film.copy"), ProgressListener.NONE);
      assertThat(Files.mismatch(copy, file)).isEqualTo(-1);
    }
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static URI createUpload(URI server, String token, long length, String sha256) throws Exception {
    String metadata = "filename " + base64("film.bin") + ",to " + base64("bob") + ",sha256 " + base64(sha256);
    HttpResponse<String> created = HTTP.send(
        tus(server.resolve("/api/v1/uploads"), token)
            .header("Upload-Length", String.valueOf(length))
            .header("Upload-Metadata", metadata)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return server.resolve(created.headers().firstValue("Location").orElseThrow());
  }

  private static long patch(URI upload, String token, long offset, byte[] body) throws Exception {
    HttpResponse<String> patched = HTTP.send(
        tus(upload, token)
            .header("Upload-Offset", String.valueOf(offset))
            .header("Content-Type", "application/offset+octet-stream")
            .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);
    return patched.headers().firstValueAsLong("Upload-Offset").orElseThrow();
  }

  private static long offset(URI upload, String token) throws Exception {
    HttpResponse<Void> head = HTTP.send(
        tus(upload, token).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding());
    assertThat(head.statusCode()).isEqualTo(200);
    return head.headers().firstValueAsLong("Upload-Offset").orElseThrow();
  }

  private static HttpRequest.Builder tus(URI uri, String token) {
    return HttpRequest.newBuilder(uri).header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + token);
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(UTF_8));
  }

  /** Reads acks until {@code acked} holds {@code expected} entries (seq to the text sent), or time runs out. */
  private static void collectAcks(LineClient client, Map<String, String> textById, Map<Long, String> acked, int expected) {
    long deadline = System.nanoTime() + AWAIT_ACKS.toNanos();
    while (acked.size() < expected && System.nanoTime() < deadline) {
      ServerFrame.Ack ack = client.nextMatching(ServerFrame.Ack.class, a -> true);
      acked.put(ack.seq(), textById.get(ack.id()));
    }
  }

  /** Every message of a conversation ({@code with=…} or {@code room=…}), paging back over HTTP. */
  static List<JsonNode> wholeHistory(Http http, String conversation, String token) {
    List<JsonNode> messages = new ArrayList<>();
    Long before = null;
    while (true) {
      Http.Reply page = http.get(
          "/api/v1/messages?" + conversation + "&limit=100" + (before == null ? "" : "&before=" + before), token);
      assertThat(page.status()).isEqualTo(200);
      if (page.body().get("messages").isEmpty()) {
        return messages;
      }
      page.body().get("messages").forEach(messages::add);
      before = page.body().get("messages").get(0).get("seq").asLong();
    }
  }

  /** A TCP connection logged in as the user, ready for requests that need it. */
  private static LineClient loggedIn(ServerProcess server, String username) {
    LineClient client = LineClient.connect(server.tcpPort());
    client.login(username, PASSWORD);
    awaitAuthenticated(client);
    return client;
  }

  /**
   * After a TCP {@code login} the server sends {@code welcome} a moment before it treats the
   * connection as authenticated (reported as a server bug), so a send right away can be refused
   * with {@code unauthorized}. Probes with a request that needs authentication until one passes.
   */
  private static void awaitAuthenticated(LineClient client) {
    for (int attempt = 0; attempt < 100; attempt++) {
      String id = "probe-" + attempt;
      client.send(new ClientFrame.Users(id, null, null, 1));
      ServerFrame reply = client.next();
      if (reply instanceof ServerFrame.Users users && id.equals(users.id())) {
        return;
      }
      assertThat(reply).isEqualTo(new ServerFrame.Error(id, ErrorCode.UNAUTHORIZED, "log in or authenticate first", null));
    }
    throw new AssertionError("connection never became authenticated");
  }
}
