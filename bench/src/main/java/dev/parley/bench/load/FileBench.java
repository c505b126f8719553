package dev.parley.bench.load;

import dev.parley.client.ParleyClient;
import dev.parley.client.ProgressListener;
import dev.parley.client.ServerTrust;
import dev.parley.client.UploadOptions;
import dev.parley.protocol.ServerFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.net.SocketFactory;

/**
 * The {@code bench files} workload: raw loopback TCP for the same number of bytes, then one file
 * of that size uploaded (tus) by one user to another and downloaded (HTTP Range) by the
 * recipient, both through {@link ParleyClient} as any Java client would, with the server's heap
 * read before, between and after. The file is random bytes written before anything is timed.
 * The download is timed a second time as plain HTTP into nothing, as {@code curl -o /dev/null}
 * would: what the server sends, without the client library's disk write and hash check.
 */
public final class FileBench {
  private static final int WRITE_BUFFER_BYTES = 1 << 20;

  /** What to run; temporary files go in a directory of their own under {@code tempDir}. */
  /** @param admin the server's admin listener, for its heap from {@code /metrics} */
  /** @param trust the certificate an {@code https} server may have */
  public record Config(URI http, ServerTrust trust, URI admin, BenchUser sender, BenchUser recipient, long sizeBytes, Path tempDir) {
    public Config {
      if (sizeBytes < 1) {
        throw new IllegalArgumentException("the size must be at least 1 byte");
      }
    }
  }

  private FileBench() {}

  /** Runs it; every temporary file is gone afterwards, the uploaded file stays on the server. */
  public static FileBenchResult run(Config config) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory(config.tempDir(), "parley-bench-files-");
    try (ParleyClient client = new ParleyClient(config.http(), config.trust())) {
      Path source = dir.resolve("upload.bin");
      String sha256 = writeRandom(source, config.sizeBytes());
      double rawSeconds = LoopbackThroughput.seconds(config.sizeBytes());

      ServerHeap before = ServerHeap.of(MetricsPage.scrape(config.admin()));
      long start = System.nanoTime();
      // The client hashes the whole file before sending (it declares the SHA-256), and that pass
      // is timed: it is part of what an upload costs a client of this library.
      ServerFrame.Message sent =
          client.upload(config.sender().token(), source, config.recipient().username(), UploadOptions.defaults());
      double uploadSeconds = (System.nanoTime() - start) / 1e9;
      ServerHeap afterUpload = ServerHeap.of(MetricsPage.scrape(config.admin()));

      Path copy = dir.resolve("download.bin");
      start = System.nanoTime();
      // Checks the bytes against the server's SHA-256 before it returns, and that pass is timed too.
      client.download(config.recipient().token(), sent.file().id(), copy, ProgressListener.NONE);
      double downloadSeconds = (System.nanoTime() - start) / 1e9;
      ServerHeap afterDownload = ServerHeap.of(MetricsPage.scrape(config.admin()));

      double streamedSeconds =
          streamedDownloadSeconds(config.http(), config.trust(), config.recipient(), sent.file().id(), config.sizeBytes());

      long copied = Files.size(copy);
      String copySha256 = sha256(copy);
      return FileBenchResult.of(
          config.sizeBytes(),
          UploadOptions.DEFAULT_CHUNK_SIZE,
          rawSeconds,
          uploadSeconds,
          downloadSeconds,
          streamedSeconds,
          copied,
          sha256.equals(copySha256) && sha256.equals(sent.file().sha256()),
          sha256,
          new FileBenchResult.Heap(before, afterUpload, afterDownload));
    } finally {
      deleteAll(dir);
    }
  }

  /**
   * One GET over a plain socket (a TLS one for https), the body read and dropped: the cheapest
   * client there is, so the time is the server's and the loopback's (and the TLS work's).
   */
  private static double streamedDownloadSeconds(URI http, ServerTrust trust, BenchUser recipient, String fileId, long size)
      throws IOException {
    String request = "GET /api/v1/files/" + fileId + " HTTP/1.1\r\nHost: " + http.getHost() + "\r\nAuthorization: Bearer "
        + recipient.token() + "\r\nConnection: close\r\n\r\n";
    ByteBuffer buffer = ByteBuffer.allocate(WRITE_BUFFER_BYTES);
    long start = System.nanoTime();
    SocketFactory sockets = http.getScheme().equals("https") ? trust.sslContext().getSocketFactory() : SocketFactory.getDefault();
    try (Socket socket = sockets.createSocket(http.getHost(), http.getPort())) {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      long received = 0;
      int bodyStart = -1;
      for (int n; (n = in.read(buffer.array(), buffer.position(), buffer.remaining())) >= 0; ) {
        buffer.position(buffer.position() + n);
        if (bodyStart < 0) {
          String head = new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1);
          int end = head.indexOf("\r\n\r\n");
          if (end < 0) {
            continue;
          }
          if (!head.startsWith("HTTP/1.1 200 ")) {
            throw new IllegalStateException("download refused: " + head.substring(0, head.indexOf('\r')));
          }
          bodyStart = end + 4;
          received = buffer.position() - bodyStart;
        } else {
          received += buffer.position();
        }
        buffer.clear();
      }
      if (received != size) {
        throw new IllegalStateException("the streamed download got " + received + " of " + size + " bytes");
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** Writes {@code size} random bytes and returns their SHA-256, in hex. */
  private static String writeRandom(Path file, long size) throws IOException {
    MessageDigest digest = newSha256();
    SplittableRandom random = new SplittableRandom();
    byte[] bytes = new byte[WRITE_BUFFER_BYTES];
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (long left = size; left > 0; ) {
        int n = (int) Math.min(bytes.length, left);
        random.nextBytes(bytes);
        digest.update(bytes, 0, n);
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, n);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        left -= n;
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest = newSha256();
    ByteBuffer buffer = ByteBuffer.allocate(WRITE_BUFFER_BYTES);
    try (FileChannel channel = FileChannel.open(file)) {
      while (channel.read(buffer.clear()) >= 0) {
        digest.update(buffer.flip());
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static void deleteAll(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path path : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
