package dev.parley.client;

import dev.parley.protocol.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One call of {@link ParleyClient#download}. Bytes go to {@code <target>.part}, and the file's
 * ETag to {@code <target>.part.etag} before the first byte; a later call finding both asks only for
 * the rest ({@code Range} with {@code If-Range}, so a part of some other file is never extended).
 * The whole file is checked against its SHA-256 (the server's ETag) before it is moved, atomically,
 * to {@code target}: a target that exists is always complete and correct. Used by one thread.
 */
final class ResumableDownload {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");
  private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d+)");
  private static final Pattern SHA256_ETAG = Pattern.compile("\"([0-9a-f]{64})\"");
  private static final int ERROR_BODY_LIMIT = 64 * 1024;

  private final FileApi api;
  private final String token;
  private final String fileId;
  private final URI uri;
  private final Path target;
  private final Path part;
  private final Path etagFile;
  private final ProgressListener progress;

  ResumableDownload(FileApi api, String token, String fileId, Path target, ProgressListener progress) {
    this.api = api;
    this.token = token;
    this.fileId = fileId;
    this.uri = api.file(fileId);
    this.target = target.toAbsolutePath();
    this.part = this.target.resolveSibling(this.target.getFileName() + ".part");
    this.etagFile = this.target.resolveSibling(this.target.getFileName() + ".part.etag");
    this.progress = progress;
  }

  Path run() {
    try {
      Files.createDirectories(target.getParent());
      String etag = Files.exists(part) && Files.exists(etagFile) ? Files.readString(etagFile).strip() : null;
      long have = etag == null ? 0 : Files.size(part);
      HttpResponse<InputStream> response = get(have > 0 ? etag : null, have);
      try (InputStream body = response.body()) {
        switch (response.statusCode()) {
          case 200 -> receive(response, body, false, 0, response.headers().firstValueAsLong("Content-Length").orElse(-1));
          case 206 -> {
            long[] range = contentRange(response);
            if (range[0] != have) {
              throw new ParleyClientException(ErrorCode.INTERNAL_ERROR,
                  "asked for bytes from " + have + " but got " + range[0] + "-" + range[1], 206, null);
            }
            receive(response, body, true, have, range[2]);
          }
          case 416 -> {
            // Nothing after our part: it is whole if its length is the file's, else start over.
            long size = unsatisfiedLength(response);
            if (size != have) {
              discardPart();
              return run();
            }
            progress.onStart(have, size);
            try (FileChannel existing = channelOf(part)) {
              finish(etag, FileDigests.update(FileDigests.sha256(), existing, 0, have));
            }
          }
          default -> throw failure(response, body);
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + part + ": " + e.getMessage(), e);
    }
  }

  private HttpResponse<InputStream> get(String etag, long from) {
    HttpRequest.Builder request = api.request(uri, token, api.requestTimeout()).GET();
    if (etag != null) {
      request.header("Range", "bytes=" + from + "-").header("If-Range", etag);
    }
    return api.exchange(request.build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  /** Writes the body to the part, fresh or appended, then checks and moves it into place. */
  private void receive(HttpResponse<InputStream> response, InputStream body, boolean append, long from, long total)
      throws IOException {
    String etag = response.headers().firstValue("ETag").orElse(null);
    MessageDigest digest = FileDigests.sha256();
    if (append) {
      try (FileChannel existing = channelOf(part)) {
        FileDigests.update(digest, existing, 0, from);
      }
    } else {
      // The ETag first: a part without its ETag is never resumed, so a crash here costs nothing.
      Files.deleteIfExists(etagFile);
      Files.write(part, new byte[0]);
      if (etag != null) {
        Files.writeString(etagFile, etag);
      }
    }
    progress.onStart(from, total);
    try (FileChannel out = FileChannel.open(part, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      byte[] buffer = new byte[64 * 1024];
      long done = from;
      int read;
      while ((read = body.read(buffer)) >= 0) {
        ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, read);
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        digest.update(buffer, 0, read);
        done += read;
        progress.onProgress(done, total);
      }
      if (total >= 0 && done != total) {
        throw new IOException("the download ended at " + done + " of " + total + " bytes; run it again to resume");
      }
      out.force(true);
    }
    finish(etag, digest);
  }

  private void finish(String etag, MessageDigest digest) throws IOException {
    String actual = HexFormat.of().formatHex(digest.digest());
    Matcher expected = etag == null ? null : SHA256_ETAG.matcher(etag);
    if (expected != null && expected.matches() && !expected.group(1).equals(actual)) {
      discardPart();
      throw new UncheckedIOException(new IOException(
          "the downloaded bytes of file " + fileId + " have SHA-256 " + actual + ", not " + expected.group(1)
              + "; the partial file was removed"));
    }
    try {
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.deleteIfExists(etagFile);
  }

  private void discardPart() throws IOException {
    Files.deleteIfExists(etagFile);
    Files.deleteIfExists(part);
  }

  private ParleyClientException failure(HttpResponse<InputStream> response, InputStream body) throws IOException {
    byte[] bytes = body.readNBytes(ERROR_BODY_LIMIT);
    return ErrorReplies.failure(api.json(), response.uri(), response.statusCode(), response.headers(), bytes);
  }

  private static long[] contentRange(HttpResponse<?> response) {
    String header = response.headers().firstValue("Content-Range").orElse("");
    Matcher matcher = CONTENT_RANGE.matcher(header.strip());
    if (!matcher.matches()) {
      throw new ParleyClientException(
          ErrorCode.INTERNAL_ERROR, "unusable Content-Range '" + header + "' from " + response.uri(), 206, null);
    }
    return new long[] {Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)), Long.parseLong(matcher.group(3))};
  }

  private static long unsatisfiedLength(HttpResponse<?> response) {
    String header = response.headers().firstValue("Content-Range").orElse("");
    Matcher matcher = UNSATISFIED_RANGE.matcher(header.strip());
    return matcher.matches() ? Long.parseLong(matcher.group(1)) : -1;
  }

  private static FileChannel channelOf(Path path) throws IOException {
    return FileChannel.open(path, StandardOpenOption.READ);
  }
}
