package dev.parley.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.protocol.ErrorCode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.OptionalLong;

/** Turns an HTTP error reply into a {@link ParleyClientException}. */
final class ErrorReplies {
  private record ErrorBody(ErrorDetail error) {}

  private record ErrorDetail(String code, String message) {}

  private ErrorReplies() {}

  /**
   * The server's error body when it sent one; otherwise (a proxy's HTML page, or the empty body
   * of a HEAD reply) the code its status stands for.
   */
  static ParleyClientException failure(ObjectMapper json, URI uri, int status, HttpHeaders headers, byte[] body) {
    Long retryAfter = retryAfterSeconds(headers);
    if (body.length > 0) {
      try {
        ErrorBody parsed = json.readValue(body, ErrorBody.class);
        if (parsed != null && parsed.error() != null && parsed.error().code() != null) {
          return new ParleyClientException(
              ErrorCode.fromWireName(parsed.error().code()), parsed.error().message(), status, retryAfter);
        }
      } catch (IOException e) {
        // Not our JSON: fall through to a message built from the status line.
      }
    }
    return new ParleyClientException(codeForStatus(status), "HTTP " + status + " from " + uri, status, retryAfter);
  }

  static ErrorCode codeForStatus(int status) {
    return switch (status) {
      case 400 -> ErrorCode.BAD_REQUEST;
      case 401, 403 -> ErrorCode.UNAUTHORIZED;
      case 404 -> ErrorCode.NOT_FOUND;
      case 410 -> ErrorCode.UPLOAD_EXPIRED;
      case 412 -> ErrorCode.UNSUPPORTED_VERSION;
      case 413 -> ErrorCode.TOO_LARGE;
      case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
      case 416 -> ErrorCode.RANGE_NOT_SATISFIABLE;
      case 423 -> ErrorCode.UPLOAD_LOCKED;
      case 429 -> ErrorCode.RATE_LIMITED;
      case 460 -> ErrorCode.CHECKSUM_MISMATCH;
      default -> ErrorCode.INTERNAL_ERROR;
    };
  }

  /** Parley sends whole seconds; the HTTP-date form, which a proxy might send, is ignored. */
  private static Long retryAfterSeconds(HttpHeaders headers) {
    try {
      OptionalLong seconds = headers.firstValueAsLong("Retry-After");
      return seconds.isPresent() ? seconds.getAsLong() : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
