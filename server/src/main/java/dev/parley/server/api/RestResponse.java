package dev.parley.server.api;

import java.util.Map;

/** A REST response: status, body (may be empty) and its content type, extra headers. */
public record RestResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
  public static final String JSON = "application/json; charset=utf-8";

  public static RestResponse noContent() {
    return new RestResponse(204, null, new byte[0], Map.of());
  }
}
