package dev.parley.server.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.CRC32C;

/** Raw tus 1.0 and download requests for conformance tests: every header is the test's to choose. */
public final class Tus {
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI base;

  public Tus(URI base) {
    this.base = base;
  }

  /** Upload-Metadata for a file to a user, values base64 as tus wants. */
  public static String metadata(Map<String, String> pairs) {
    return pairs.entrySet().stream()
        .map(e -> e.getKey() + " " + Base64.getEncoder().encodeToString(e.getValue().getBytes(StandardCharsets.UTF_8)))
        .collect(Collectors.joining(","));
  }

  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(digest("SHA-256", bytes));
  }

  /** An Upload-Checksum value; {@code crc32c} is the checksum's four bytes, most significant first. */
  public static String checksum(String algorithm, byte[] bytes) {
    byte[] digest = switch (algorithm) {
      case "crc32c" -> {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        yield ByteBuffer.allocate(Integer.BYTES).putInt((int) crc.getValue()).array();
      }
      case "sha1" -> digest("SHA-1", bytes);
      default -> digest("SHA-256", bytes);
    };
    return algorithm + " " + Base64.getEncoder().encodeToString(digest);
  }

  public HttpResponse<String> create(String token, long length, String metadata) {
    return send("POST", "/api/v1/uploads", token, headers("Upload-Length", String.valueOf(length), "Upload-Metadata", metadata), null);
  }

  /** The upload's path (the Location) after a successful creation. */
  public String createdPath(String token, long length, String metadata) {
    HttpResponse<String> created = create(token, length, metadata);
    if (created.statusCode() != 201) {
      throw new AssertionError("creation failed: " + created.statusCode() + " " + created.body());
    }
    return created.headers().firstValue("Location").orElseThrow();
  }

  /** Uploads a whole file in one PATCH; returns the file's id. */
  public String uploadWhole(String token, byte[] bytes, String filename, String to) {
    String path = createdPath(token, bytes.length, metadata(Map.of("filename", filename, "to", to)));
    if (bytes.length > 0 && patch(token, path, 0, bytes).statusCode() != 204) {
      throw new AssertionError("upload of " + filename + " failed");
    }
    return path.substring(path.lastIndexOf('/') + 1);
  }

  public HttpResponse<String> head(String token, String path) {
    return send("HEAD", path, token, headers(), null);
  }

  public HttpResponse<String> patch(String token, String path, long offset, byte[] body) {
    return patch(token, path, offset, body, headers());
  }

  public HttpResponse<String> patch(String token, String path, long offset, byte[] body, Map<String, String> extra) {
    Map<String, String> headers = headers("Content-Type", "application/offset+octet-stream", "Upload-Offset", String.valueOf(offset));
    headers.putAll(extra);
    return send("PATCH", path, token, headers, body);
  }

  /**
   * Opens a PATCH for {@code declared} bytes over a raw socket and sends only {@code sent} of them:
   * a writer that holds the upload while the socket stays open; closing it is a client gone.
   */
  public Socket startPatch(String token, String path, long offset, int declared, byte[] sent) throws IOException {
    Socket socket = new Socket(base.getHost(), base.getPort());
    OutputStream out = socket.getOutputStream();
    out.write(("PATCH " + path + " HTTP/1.1\r\nHost: x\r\nTus-Resumable: 1.0.0\r\nAuthorization: Bearer " + token
        + "\r\nContent-Type: application/offset+octet-stream\r\nUpload-Offset: " + offset
        + "\r\nContent-Length: " + declared + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(sent);
    out.flush();
    return socket;
  }

  public HttpResponse<String> delete(String token, String path) {
    return send("DELETE", path, token, headers(), null);
  }

  public HttpResponse<byte[]> download(String token, String fileId, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/api/v1/files/" + fileId)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    headers.forEach(request::header);
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Any request; {@code Tus-Resumable: 1.0.0} is added unless the headers say otherwise. */
  public HttpResponse<String> send(String method, String path, String token, Map<String, String> headers, byte[] body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    Map<String, String> all = headers("Tus-Resumable", "1.0.0");
    all.putAll(headers);
    all.forEach((name, value) -> {
      if (value != null) {
        request.header(name, value);
      }
    });
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static Map<String, String> headers(String... namesAndValues) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  private static byte[] digest(String algorithm, byte[] bytes) {
    try {
      return MessageDigest.getInstance(algorithm).digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
