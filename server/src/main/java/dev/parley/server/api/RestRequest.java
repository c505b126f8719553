package dev.parley.server.api;

import java.util.List;
import java.util.Map;

/** An HTTP request as the REST API sees it, with no transport types. {@code host} (the Host header) and {@code userAgent} may be null. */
public record RestRequest(
    String method,
    String path,
    Map<String, String> pathParams,
    Map<String, List<String>> query,
    byte[] body,
    String remoteAddress,
    String host,
    String userAgent) {

  public String queryParam(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.getFirst();
  }
}
