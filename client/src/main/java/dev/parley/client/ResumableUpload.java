package dev.parley.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One call of {@link ParleyClient#upload}: a tus 1.0 upload that picks up where an earlier attempt
 * stopped. The whole file's SHA-256 is declared at creation, so the server checks the file end to
 * end; every chunk carries its own {@code Upload-Checksum} (CRC-32C where the server takes it: it
 * only has to catch a damaged body, the SHA-256 proves the file), so the server keeps a chunk only
 * if it arrived whole and intact, and an interruption costs at most one chunk. Used by one thread.
 */
final class ResumableUpload {
  private static final System.Logger log = System.getLogger(ResumableUpload.class.getName());
  /** How slow a link the chunk timeout allows for, on top of the request timeout. */
  private static final long SLOWEST_BYTES_PER_SECOND = 32 * 1024;
  /** Pages of the conversation searched for the file message; it is normally on the first. */
  private static final int MESSAGE_PAGES = 5;

  /**
   * Where an upload stands: its URL, the file's hash and the server's offset. {@code finished}:
   * a remembered upload turned out to be complete already; its last reply was lost, not its bytes.
   */
  private record Started(URI url, String id, String sha256, long offset, boolean finished) {}

  private final FileApi api;
  private final ParleyClient client;
  private final String token;
  private final Path file;
  private final UploadTarget target;
  private final UploadOptions options;
  private final UploadUrlStore store;
  private final AtomicReference<RuntimeException> stoppedBy = new AtomicReference<>();

  ResumableUpload(FileApi api, ParleyClient client, String token, Path file, UploadTarget target, UploadOptions options,
      UploadUrlStore store) {
    this.api = api;
    this.client = client;
    this.token = token;
    this.file = file;
    this.target = target;
    this.options = options;
    this.store = store;
  }

  ServerFrame.Message run() {
    FileFingerprint fingerprint = FileFingerprint.of(api.base(), target.resumeKey(), file);
    String key = fingerprint.key();
    long size = fingerprint.size();
    Started started;
    try (FileChannel channel = FileChannel.open(fingerprint.path(), StandardOpenOption.READ)) {
      ChunkChecksums checksums = new ChunkChecksums(channel, options.chunkSize(), size, checksumAlgorithm());
      started = start(key, fingerprint, checksums);
      if (!started.finished()) {
        send(key, started, channel, checksums, size);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    store.forget(key);
    return fileMessage(started.id());
  }

  /** Resumes the remembered upload of this file, or creates a new one. */
  private Started start(String key, FileFingerprint fingerprint, ChunkChecksums checksums) {
    Optional<UploadUrlStore.Entry> remembered = store.find(key);
    if (remembered.isPresent()) {
      UploadUrlStore.Entry entry = remembered.get();
      String id = lastSegment(entry.url());
      try {
        HttpResponse<byte[]> status = head(entry.url());
        OptionalLong length = status.headers().firstValueAsLong(FileApi.UPLOAD_LENGTH);
        if (length.isPresent() && length.getAsLong() == fingerprint.size() && entry.sha256() != null) {
          return new Started(entry.url(), id, entry.sha256(), FileApi.longHeader(status, FileApi.UPLOAD_OFFSET), false);
        }
        log.log(System.Logger.Level.INFO, "upload {0} is not of this file; starting a new one", entry.url());
      } catch (ParleyClientException e) {
        if (!isGone(e)) {
          throw e;
        }
        if (isUploadedFile(id, entry.sha256())) {
          return new Started(entry.url(), id, entry.sha256(), fingerprint.size(), true);
        }
      }
      store.forget(key);
    }
    long size = fingerprint.size();
    String sha256 = HexFormat.of().formatHex(checksums.fileSha256());
    URI url = create(fingerprint.path(), size, sha256);
    if (size > 0) {
      store.remember(key, new UploadUrlStore.Entry(url, sha256, System.currentTimeMillis()));
    }
    return new Started(url, lastSegment(url), sha256, 0, false);
  }

  /** PATCHes chunk after chunk from the server's offset, retrying what a retry can fix. */
  private void send(String key, Started started, FileChannel channel, ChunkChecksums checksums, long size) {
    Long offset = started.offset();
    checksums.hashAheadFrom(offset);
    options.progress().onStart(offset, size);
    List<Duration> delays = options.retryDelays();
    int failures = 0;
    RuntimeException lastFailure = null;
    while (offset == null || offset < size) {
      try {
        if (offset == null) {
          offset = FileApi.longHeader(head(started.url()), FileApi.UPLOAD_OFFSET);
          options.progress().onStart(offset, size);
        }
        offset = patch(started.url(), channel, checksums, offset, size);
        failures = 0;
        lastFailure = null;
      } catch (RuntimeException failure) {
        RuntimeException stop = stoppedBy.get();
        if (stop != null) {
          throw stop;
        }
        if (lastFailure != null && failure instanceof ParleyClientException refused && isGone(refused)) {
          // Gone after a failed chunk: either the last chunk did complete it (its reply was lost),
          // or the server removed it (the whole file did not match its SHA-256).
          if (isUploadedFile(started.id(), started.sha256())) {
            return;
          }
          store.forget(key);
          lastFailure.addSuppressed(failure);
          throw lastFailure;
        }
        if (!isRetryable(failure) || failures >= delays.size()) {
          if (failure instanceof ParleyClientException refused && isGone(refused)) {
            store.forget(key);
          }
          throw failure;
        }
        log.log(System.Logger.Level.DEBUG, "upload {0} failed at {1}; retrying: {2}", started.url(), offset, failure.getMessage());
        pause(delays.get(failures++), started.url());
        lastFailure = failure;
        offset = null;
      }
    }
  }

  private URI create(Path real, long size, String sha256) {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("filename", options.filename() != null ? options.filename() : file.getFileName().toString());
    metadata.put(target.metadataKey(), target.address());
    metadata.put("sha256", sha256);
    String type = options.type() != null ? options.type() : guessType(real);
    if (type != null) {
      metadata.put("type", type);
    }
    StringJoiner header = new StringJoiner(",");
    metadata.forEach((name, value) -> header.add(name + " " + Base64.getEncoder().encodeToString(value.getBytes(UTF_8))));
    HttpRequest request = tus(api.uploads(), api.requestTimeout())
        .header(FileApi.UPLOAD_LENGTH, String.valueOf(size))
        .header(FileApi.UPLOAD_METADATA, header.toString())
        .POST(HttpRequest.BodyPublishers.noBody())
        .build();
    HttpResponse<byte[]> response = api.exchange(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 201) {
      throw api.failure(response);
    }
    String location = response.headers().firstValue("Location").orElse("");
    String id = lastSegment(URI.create(location.strip()));
    if (!FileApi.ID.matcher(id).matches()) {
      throw new ParleyClientException(
          ErrorCode.INTERNAL_ERROR, "unusable Location '" + location + "' from " + request.uri(), 201, null);
    }
    return api.upload(id);
  }

  /** CRC-32C if the server announces it (tus OPTIONS), else SHA-256, which every Parley server takes. */
  private String checksumAlgorithm() {
    HttpRequest request = tus(api.uploads(), api.requestTimeout()).method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build();
    HttpResponse<byte[]> response = api.exchange(request, HttpResponse.BodyHandlers.ofByteArray());
    boolean crc32c = response.statusCode() / 100 == 2
        && response.headers().firstValue(FileApi.TUS_CHECKSUM_ALGORITHM).stream()
            .flatMap(algorithms -> Arrays.stream(algorithms.split(",")))
            .anyMatch(algorithm -> algorithm.strip().equalsIgnoreCase(ChunkChecksums.CRC32C));
    return crc32c ? ChunkChecksums.CRC32C : ChunkChecksums.SHA256;
  }

  private HttpResponse<byte[]> head(URI url) {
    HttpRequest request = tus(url, api.requestTimeout()).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
    HttpResponse<byte[]> response = api.exchange(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw api.headFailure(response, "no such upload");
    }
    return response;
  }

  /** Sends one chunk from {@code offset}; returns the server's new offset. */
  private long patch(URI url, FileChannel channel, ChunkChecksums checksums, long offset, long size) {
    long length = checksums.length(offset);
    byte[] checksum = checksums.of(offset);
    ProgressListener progress = options.progress();
    HttpRequest request =
        tus(url, api.requestTimeout().plusSeconds(length / SLOWEST_BYTES_PER_SECOND))
            .header(FileApi.UPLOAD_OFFSET, String.valueOf(offset))
            .header("Content-Type", FileApi.OFFSET_OCTET_STREAM)
            .header(FileApi.UPLOAD_CHECKSUM, checksums.algorithm() + " " + Base64.getEncoder().encodeToString(checksum))
            .method("PATCH", FileRegionBody.of(channel, offset, length, sent -> {
              try {
                progress.onProgress(offset + sent, size);
              } catch (RuntimeException e) {
                stoppedBy.compareAndSet(null, e);
                throw e;
              }
            }))
            .build();
    HttpResponse<byte[]> response = api.exchange(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 204) {
      throw api.failure(response);
    }
    long after = FileApi.longHeader(response, FileApi.UPLOAD_OFFSET);
    if (after != offset + length) {
      throw new ParleyClientException(ErrorCode.OFFSET_MISMATCH,
          "the server is at " + after + " after a chunk that ends at " + (offset + length), 204, null);
    }
    return after;
  }

  /** Whether the server has the finished file of this upload (the upload and the file share the id). */
  private boolean isUploadedFile(String id, String sha256) {
    HttpRequest request = api.request(api.file(id), token, api.requestTimeout())
        .method("HEAD", HttpRequest.BodyPublishers.noBody())
        .build();
    HttpResponse<byte[]> response = api.exchange(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() == 404) {
      return false;
    }
    if (response.statusCode() != 200) {
      throw api.headFailure(response, "no such file");
    }
    return response.headers().firstValue("ETag").orElse("").equals("\"" + sha256 + "\"");
  }

  /**
   * The file message the upload became. The server commits it before it answers the last chunk,
   * so it is there at once, unless that answer was lost and the commit is still under way.
   */
  private ServerFrame.Message fileMessage(String id) {
    List<Duration> delays = options.retryDelays();
    for (int attempt = 0; ; attempt++) {
      Long before = null;
      for (int page = 0; page < MESSAGE_PAGES; page++) {
        List<ServerFrame.Message> messages = target.messages(client, token, before);
        for (ServerFrame.Message message : messages.reversed()) {
          if (message.file() != null && id.equals(message.file().id())) {
            return message;
          }
        }
        if (messages.isEmpty()) {
          break;
        }
        before = messages.getFirst().seq();
      }
      if (attempt >= delays.size()) {
        throw new ParleyClientException(
            ErrorCode.INTERNAL_ERROR, "file " + id + " was uploaded, but its message to " + target + " was not found", 0, null);
      }
      pause(delays.get(attempt), api.file(id));
    }
  }

  private HttpRequest.Builder tus(URI uri, Duration timeout) {
    return api.request(uri, token, timeout).header(FileApi.TUS_RESUMABLE, FileApi.TUS_VERSION);
  }

  private static boolean isGone(ParleyClientException e) {
    return e.code() == ErrorCode.NOT_FOUND || e.code() == ErrorCode.UPLOAD_EXPIRED;
  }

  /** A failure that a HEAD and a new PATCH from the server's offset can get past. */
  private static boolean isRetryable(RuntimeException failure) {
    if (failure instanceof UncheckedIOException io) {
      return !(io.getCause() instanceof InterruptedIOException);
    }
    if (failure instanceof ParleyClientException refused) {
      return switch (refused.code()) {
        case UPLOAD_LOCKED, OFFSET_MISMATCH, CHECKSUM_MISMATCH -> true;
        case INTERNAL_ERROR -> refused.httpStatus() >= 500;
        default -> false;
      };
    }
    return false;
  }

  private static void pause(Duration delay, URI url) {
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      throw TransportFailures.interrupted(url);
    }
  }

  private static String guessType(Path path) {
    try {
      return Files.probeContentType(path);
    } catch (IOException e) {
      return null; // Only a hint for the recipient.
    }
  }

  private static String lastSegment(URI uri) {
    String path = uri.getPath() == null ? "" : uri.getPath();
    String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }
}
