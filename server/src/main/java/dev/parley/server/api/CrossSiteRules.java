package dev.parley.server.api;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.config.SiteSettings;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * What keeps other sites' pages from acting on this server through a user's browser
 * (docs/PROTOCOL.md §7.1, "Cross-site requests"): the {@code Host} check against DNS rebinding,
 * the {@code Origin} check on state-changing requests and WebSocket upgrades, and the JSON
 * {@code Content-Type} that a cross-site form cannot send. Immutable and thread-safe.
 */
public final class CrossSiteRules {
  /** Rules that let everything through: the admin listener, which browsers have no business on. */
  public static final CrossSiteRules NONE = new CrossSiteRules(new SiteSettings(null, Set.of()));

  /** Names a browser uses only for a page on this very machine, whatever the port. */
  private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

  private final SiteSettings settings;
  private final String publicOrigin;

  public CrossSiteRules(SiteSettings settings) {
    this.settings = settings;
    this.publicOrigin = settings.publicUrl() == null ? null : SiteSettings.origin(originOf(settings.publicUrl()));
  }

  /**
   * What the rules read of a request: no transport types.
   *
   * @param host the {@code Host} header, or null
   * @param origin the {@code Origin} header, or null (non-browser clients send none)
   * @param contentType the {@code Content-Type} header, or null
   * @param changesState a method other than GET, HEAD and OPTIONS, or a WebSocket upgrade
   * @param jsonBody the route reads a JSON body
   */
  public record Provenance(String host, String origin, String contentType, boolean changesState, boolean jsonBody) {}

  /** The Host and Origin checks, before anything else: the refusal to answer instead, or null. */
  public ParleyException checkSite(Provenance request) {
    if (settings.publicUrl() != null && !knownHost(request.host())) {
      return new ParleyException(ErrorCode.MISDIRECTED_REQUEST, "this server is not reached under that Host name");
    }
    if (request.changesState() && request.origin() != null && !allowedOrigin(request.origin(), request.host())) {
      return new ParleyException(ErrorCode.FORBIDDEN_ORIGIN, "requests from origin " + request.origin() + " are not allowed");
    }
    return null;
  }

  /**
   * The Content-Type check, after the login (like every other check of the body): the refusal to
   * answer instead, or null.
   */
  public ParleyException checkBody(Provenance request) {
    if (request.jsonBody() && !isJson(request.contentType())) {
      return new ParleyException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send Content-Type: application/json");
    }
    return null;
  }

  /** The public URL's host (with its port, if given, matching) or a loopback name. */
  private boolean knownHost(String hostHeader) {
    HostAndPort host = HostAndPort.parse(hostHeader);
    if (host == null) {
      return false;
    }
    if (LOOPBACK_HOSTS.contains(host.name())) {
      return true;
    }
    URI url = settings.publicUrl();
    int publicPort = url.getPort() != -1 ? url.getPort() : SiteSettings.defaultPort(url.getScheme());
    return host.name().equalsIgnoreCase(url.getHost()) && (host.port() == -1 || host.port() == publicPort);
  }

  private boolean allowedOrigin(String originHeader, String hostHeader) {
    String origin = SiteSettings.origin(originHeader);
    if (origin == null) {
      return false; // "null" (sandboxed pages, file:), or garbage
    }
    if (origin.equals(publicOrigin) || settings.allowedOrigins().contains(origin)) {
      return true;
    }
    return sameOrigin(URI.create(origin), HostAndPort.parse(hostHeader));
  }

  /** The Origin names the host and port the request was sent to (a Host without port means the scheme's). */
  private static boolean sameOrigin(URI origin, HostAndPort host) {
    if (host == null || !host.name().equalsIgnoreCase(origin.getHost())) {
      return false;
    }
    int originPort = origin.getPort() != -1 ? origin.getPort() : SiteSettings.defaultPort(origin.getScheme());
    return host.port() == -1 ? origin.getPort() == -1 : host.port() == originPort;
  }

  /** {@code application/json}, with or without parameters such as {@code charset=utf-8}. */
  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
    return mediaType.equalsIgnoreCase("application/json");
  }

  private static String originOf(URI url) {
    return url.getScheme() + "://" + url.getRawAuthority();
  }

  /** A {@code Host} header: the name in lower case (an IPv6 literal keeps its brackets) and the port, or -1. */
  private record HostAndPort(String name, int port) {
    static HostAndPort parse(String header) {
      if (header == null || header.isBlank()) {
        return null;
      }
      String value = header.strip().toLowerCase(Locale.ROOT);
      int colon = value.startsWith("[") ? value.indexOf(':', value.indexOf(']')) : value.lastIndexOf(':');
      if (colon < 0) {
        return new HostAndPort(value, -1);
      }
      try {
        return new HostAndPort(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}
