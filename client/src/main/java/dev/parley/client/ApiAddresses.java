package dev.parley.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URI;
import java.net.URLEncoder;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Where each API lives relative to a server's base address. The base may carry a path (a server
 * behind a reverse proxy at {@code https://example.org/chat/}); every endpoint resolves under it.
 */
final class ApiAddresses {
  private static final String API = "api/v1/";

  private ApiAddresses() {}

  /** The base as an absolute http(s) URI ending in {@code /}, or IllegalArgumentException. */
  static URI normalize(URI base) {
    String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
    if ((!scheme.equals("http") && !scheme.equals("https")) || base.getHost() == null) {
      throw new IllegalArgumentException("server address must be http:// or https://host[:port], got '" + base + "'");
    }
    String path = base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
    return URI.create(scheme + "://" + base.getRawAuthority() + (path.endsWith("/") ? path : path + "/"));
  }

  /** A REST endpoint; null query values are left out, the others are URL-encoded as UTF-8. */
  static URI rest(URI base, String endpoint, Map<String, ?> query) {
    StringJoiner params = new StringJoiner("&", "?", "").setEmptyValue("");
    query.forEach(
        (name, value) -> {
          if (value != null) {
            params.add(name + "=" + URLEncoder.encode(String.valueOf(value), UTF_8));
          }
        });
    return base.resolve(API + endpoint + params);
  }

  /** The WebSocket endpoint: ws for http, wss for https, with {@code since} when given. */
  static URI webSocket(URI base, Long since) {
    URI http = rest(base, "ws", since == null ? Map.of() : Map.of("since", since));
    String scheme = http.getScheme().equals("https") ? "wss" : "ws";
    return URI.create(scheme + http.toString().substring(http.getScheme().length()));
  }
}
