package dev.parley.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.protocol.ErrorCode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The file endpoints of one server as the transfers see them: tus uploads under {@code
 * /api/v1/uploads} and downloads under {@code /api/v1/files}, with the plumbing they share.
 */
record FileApi(URI base, HttpClient http, ObjectMapper json, Duration requestTimeout) {
  static final String TUS_RESUMABLE = "Tus-Resumable";
  static final String TUS_VERSION = "1.0.0";
  static final String UPLOAD_OFFSET = "Upload-Offset";
  static final String UPLOAD_LENGTH = "Upload-Length";
  static final String UPLOAD_METADATA = "Upload-Metadata";
  static final String UPLOAD_CHECKSUM = "Upload-Checksum";
  static final String TUS_CHECKSUM_ALGORITHM = "Tus-Checksum-Algorithm";
  static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";
  /** Upload and file ids: the server's are 32 hex digits; this allows any URL-safe token. */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  URI uploads() {
    return ApiAddresses.rest(base, "uploads", Map.of());
  }

  /**
   * An upload's URL under our own base address, whatever the server's Location said: a server
   * behind a reverse proxy at a path prefix does not know that prefix.
   */
  URI upload(String id) {
    return ApiAddresses.rest(base, "uploads/" + id, Map.of());
  }

  /** A file's URL; the id must look like one, so that nothing else on the server can be named. */
  URI file(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("not a file id: '" + id + "'");
    }
    return ApiAddresses.rest(base, "files/" + id, Map.of());
  }

  HttpRequest.Builder request(URI uri, String token, Duration timeout) {
    return HttpRequest.newBuilder(uri).timeout(timeout).header("Authorization", "Bearer " + token);
  }

  /** Sends the request; no answer at all becomes an {@link java.io.UncheckedIOException}. */
  <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> body) {
    try {
      return http.send(request, body);
    } catch (IOException e) {
      throw TransportFailures.unreachable(request.uri(), e);
    } catch (InterruptedException e) {
      throw TransportFailures.interrupted(request.uri());
    }
  }

  ParleyClientException failure(HttpResponse<byte[]> response) {
    return ErrorReplies.failure(json, response.uri(), response.statusCode(), response.headers(), response.body());
  }

  /**
   * The failure a HEAD reply stands for. A HEAD reply has no body, so the server's message is
   * lost; the two refusals a user meets are worded as the server words them.
   */
  ParleyClientException headFailure(HttpResponse<byte[]> response, String notFound) {
    return switch (response.statusCode()) {
      case 401 -> new ParleyClientException(ErrorCode.UNAUTHORIZED, "unknown or expired token", 401, null);
      case 404 -> new ParleyClientException(ErrorCode.NOT_FOUND, notFound, 404, null);
      default -> failure(response);
    };
  }

  /** A header that must be a whole number of bytes; a broken server is an internal error. */
  static long longHeader(HttpResponse<?> response, String name) {
    return response.headers().firstValueAsLong(name).orElseThrow(() -> new ParleyClientException(
        ErrorCode.INTERNAL_ERROR,
        "no " + name + " in the reply from " + response.uri(),
        response.statusCode(),
        null));
  }
}
