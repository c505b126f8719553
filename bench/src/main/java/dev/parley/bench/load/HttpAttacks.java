package dev.parley.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.client.ParleyClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The attacks on the HTTP port (issue 12): pipelined downloads, slowloris request heads, a
 * WebSocket ping flood, and upload creation past the quota and the concurrent-uploads cap.
 */
final class HttpAttacks {
  /** Pipelined downloads per connection, as in the issue. */
  static final int PIPELINED_DOWNLOADS = 120;
  static final int DOWNLOAD_FILE_BYTES = 1 << 20;
  /** Past the 10 GiB default quota in three uploads, each under the 4 GiB file limit. */
  static final long BIG_UPLOAD_BYTES = 3_500L << 20;
  static final int BIG_UPLOADS = 3;
  static final int CONCURRENT_UPLOADS = 60;
  private static final int MAX_UPLOAD_ROUNDS = 20;
  /** Masked WebSocket pings with the largest payload a control frame may carry. */
  private static final int PING_PAYLOAD = 125;
  private static final int PINGS_PER_WRITE = 100;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpAttacks() {}

  /** Many connections each pipelining {@value #PIPELINED_DOWNLOADS} GETs of one file, reading nothing. */
  static void pipelinedDownloads(AttackRun run, int connections) throws InterruptedException {
    String token = run.users().token(run.users().pinger());
    String request = "GET /api/v1/files/" + run.fileId() + " HTTP/1.1\r\nHost: " + host(run) + "\r\nAuthorization: Bearer " + token + "\r\n\r\n";
    byte[] requests = request.repeat(PIPELINED_DOWNLOADS).getBytes(StandardCharsets.US_ASCII);
    List<AttackSocket> sockets = run.httpConnections(connections);
    for (AttackSocket socket : sockets) {
      socket.floodInBackground(n -> requests, PIPELINED_DOWNLOADS, 0, run.deadlineNanos(), 1);
    }
    run.awaitDeadline();
    long drainDeadline = run.drainDeadline();
    // Enough to count a few responses on each connection, not to download 120 MiB on each.
    run.drain(sockets, s -> s.readHttp(drainDeadline, 4L * DOWNLOAD_FILE_BYTES));
  }

  /** Many connections sending a request head one byte per {@link Trickle#INTERVAL}. */
  static void slowHeaders(AttackRun run, int connections) throws InterruptedException {
    byte[] head = ("GET /healthz HTTP/1.1\r\nHost: " + host(run) + "\r\nX-Slow: " + "x".repeat(200) + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    List<AttackSocket> sockets = run.httpConnections(connections);
    Trickle.untilDeadline(run, sockets, tick -> new byte[] {head[Math.min(tick, head.length - 1)]});
    long drainDeadline = System.nanoTime() + AttackRun.DRAIN.toNanos() / 4;
    run.drain(sockets, s -> s.readHttp(drainDeadline, 1L << 20));
  }

  /** One authenticated WebSocket sending pings as fast as the server takes them, reading nothing. */
  static void webSocketPingFlood(AttackRun run) throws InterruptedException {
    List<AttackSocket> sockets = run.httpConnections(1);
    if (sockets.isEmpty()) {
      return;
    }
    AttackSocket socket = sockets.get(0);
    String upgrade =
        "GET /api/v1/ws HTTP/1.1\r\nHost: " + host(run) + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: cGFybGV5LWF0dGFjay1iZW5jaA==\r\nSec-WebSocket-Version: 13\r\n"
            + "Authorization: Bearer " + run.users().token(run.users().pinger()) + "\r\n\r\n";
    socket.write(upgrade.getBytes(StandardCharsets.US_ASCII), 0);
    long handshakeDeadline = System.nanoTime() + NormalUser.STEP_TIMEOUT.toNanos();
    String status = socket.readLine(handshakeDeadline);
    if (status == null || !status.contains(" 101 ")) {
      run.tally().count(status == null ? "no upgrade in " + NormalUser.STEP_TIMEOUT.toSeconds() + " s" : status.strip());
      socket.close();
      return;
    }
    String header;
    do {
      header = socket.readLine(handshakeDeadline);
    } while (header != null && !header.strip().isEmpty());
    byte[] pings = maskedPings();
    socket.floodInBackground(n -> pings, PINGS_PER_WRITE, 0, run.deadlineNanos(), Integer.MAX_VALUE);
    run.awaitDeadline();
    long drainDeadline = run.drainDeadline();
    run.drain(sockets, s -> s.readWebSocket(drainDeadline, 256L << 20));
  }

  /**
   * Rounds of: {@value #BIG_UPLOADS} uploads that together pass the storage quota, then {@value
   * #CONCURRENT_UPLOADS} upload creations at once, then deleting what was created; answers counted
   * as {@code http <status> <code>}.
   */
  static void uploadsPastTheLimits(AttackRun run) throws InterruptedException {
    String flooder = run.users().flooder();
    try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).localAddress(run.from()).connectTimeout(REQUEST_TIMEOUT).build()) {
      for (int round = 0; round < MAX_UPLOAD_ROUNDS && System.nanoTime() < run.deadlineNanos(); round++) {
        List<URI> created = new ArrayList<>();
        for (int i = 0; i < BIG_UPLOADS; i++) {
          createUpload(run, http, flooder, BIG_UPLOAD_BYTES).join().ifPresent(created::add);
        }
        List<CompletableFuture<Optional<URI>>> concurrent = new ArrayList<>();
        for (int i = 0; i < CONCURRENT_UPLOADS; i++) {
          concurrent.add(createUpload(run, http, flooder, 1024));
        }
        concurrent.forEach(upload -> upload.join().ifPresent(created::add));
        for (URI upload : created) {
          HttpRequest delete = authorized(upload, run.users().token(flooder)).header("Tus-Resumable", "1.0.0").DELETE().build();
          http.sendAsync(delete, HttpResponse.BodyHandlers.discarding()).join();
        }
      }
    }
  }

  private static CompletableFuture<Optional<URI>> createUpload(AttackRun run, HttpClient http, String user, long length) {
    URI uploads = run.config().http().resolve("/api/v1/uploads");
    String metadata = "filename " + base64("attack.bin") + ",to " + base64(user);
    HttpRequest create =
        authorized(uploads, run.users().token(user))
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Length", Long.toString(length))
            .header("Upload-Metadata", metadata)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    run.tally().sent(1, 0);
    return http.sendAsync(create, HttpResponse.BodyHandlers.ofString())
        .handle(
            (response, failure) -> {
              if (failure != null) {
                run.tally().count("request failed: " + failure.getClass().getSimpleName());
                return Optional.empty();
              }
              run.tally().count("http " + response.statusCode() + errorCode(response.body()));
              return response.headers().firstValue("Location").map(uploads::resolve);
            });
  }

  private static HttpRequest.Builder authorized(URI uri, String token) {
    return HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("Authorization", "Bearer " + token);
  }

  /** {@code " <code>"} of an error body, or nothing. */
  private static String errorCode(String body) {
    try {
      String code = JSON.readTree(body).path("error").path("code").asText("");
      return code.isEmpty() ? "" : " " + code;
    } catch (IOException e) {
      return "";
    }
  }

  /** Before {@link #pipelinedDownloads}: the file it downloads, sent by the pinger to itself; returns its id. */
  static String uploadFile(AttackUsers users, URI http) throws IOException {
    String pinger = users.pinger();
    Path file = Files.createTempFile("parley-attack", ".bin");
    try {
      // No status line in the body, for HttpStatusScanner.
      Files.write(file, "x".repeat(DOWNLOAD_FILE_BYTES).getBytes(StandardCharsets.US_ASCII));
      try (ParleyClient client = new ParleyClient(http)) {
        return client.upload(users.token(pinger), file, pinger).file().id();
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static byte[] maskedPings() {
    // A zero masking key leaves the payload as it is; the server must accept any key.
    byte[] frame = new byte[2 + 4 + PING_PAYLOAD];
    frame[0] = (byte) 0x89;
    frame[1] = (byte) (0x80 | PING_PAYLOAD);
    for (int i = 6; i < frame.length; i++) {
      frame[i] = 'p';
    }
    byte[] pings = new byte[frame.length * PINGS_PER_WRITE];
    for (int i = 0; i < PINGS_PER_WRITE; i++) {
      System.arraycopy(frame, 0, pings, i * frame.length, frame.length);
    }
    return pings;
  }

  private static String host(AttackRun run) {
    return run.config().http().getHost() + ":" + run.config().http().getPort();
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
