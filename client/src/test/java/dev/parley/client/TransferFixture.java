package dev.parley.client;

import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Files, hashes and a listening recipient for the file transfer tests. */
final class TransferFixture {
  static final Duration WAIT = Duration.ofSeconds(10);
  private static final HttpClient RAW = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private TransferFixture() {}

  /** {@code size} bytes that are the same in every run, different per seed. */
  static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static Path write(Path file, byte[] bytes) {
    try {
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The server's offset of an upload, by a plain tus HEAD. */
  static long serverOffset(URI upload, String token) {
    try {
      HttpResponse<Void> head = RAW.send(
          HttpRequest.newBuilder(upload)
              .method("HEAD", HttpRequest.BodyPublishers.noBody())
              .header("Tus-Resumable", "1.0.0")
              .header("Authorization", "Bearer " + token)
              .build(),
          HttpResponse.BodyHandlers.discarding());
      if (head.statusCode() != 200) {
        throw new AssertionError("HEAD " + upload + ": " + head.statusCode());
      }
      return head.headers().firstValueAsLong("Upload-Offset").orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A user's live connection that keeps every message it receives. */
  static final class Recipient implements AutoCloseable {
    private final BlockingQueue<ServerFrame.Message> messages = new LinkedBlockingQueue<>();
    private final ParleyConnection connection;

    Recipient(TestServer server, String token) {
      connection = ParleyConnection.connect(server.http(), token, null, frame -> {
        if (frame instanceof ServerFrame.Message message) {
          messages.add(message);
        }
      });
    }

    ServerFrame.Message next() {
      try {
        ServerFrame.Message message = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
          throw new AssertionError("no message within " + WAIT);
        }
        return message;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    /** Messages already received, without waiting. */
    int waiting() {
      return messages.size();
    }

    @Override
    public void close() {
      connection.close();
    }
  }
}
