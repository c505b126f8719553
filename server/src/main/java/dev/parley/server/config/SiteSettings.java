package dev.parley.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Under which name browsers reach the server and which other sites' pages may change state on it
 * (docs/PROTOCOL.md §7.1, "Cross-site requests").
 *
 * @param publicUrl the address users reach the server at ({@code https://chat.example.org}), or
 *     null: when set, a request's {@code Host} must name it (or a loopback host), and its origin
 *     may send state-changing requests
 * @param allowedOrigins further origins, each in the form {@link #origin} returns, whose pages may
 *     send state-changing requests and open WebSockets
 */
public record SiteSettings(URI publicUrl, Set<String> allowedOrigins) {
  public SiteSettings {
    allowedOrigins = Set.copyOf(allowedOrigins);
  }

  /**
   * An origin as compared by the server: {@code scheme://host[:port]} in lower case, with the port
   * left out when it is the scheme's default, or null when {@code text} is not an http(s) origin
   * (a path, query or user part counts as not an origin; a lone trailing slash is allowed).
   */
  public static String origin(String text) {
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
        && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !bare) {
      return null;
    }
    int port = uri.getPort();
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    return scheme + "://" + host + (port == -1 || port == defaultPort(scheme) ? "" : ":" + port);
  }

  /** 443 for https, 80 for http. */
  public static int defaultPort(String scheme) {
    return scheme.equalsIgnoreCase("https") ? 443 : 80;
  }
}
