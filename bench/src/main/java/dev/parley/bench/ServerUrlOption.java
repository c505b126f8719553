package dev.parley.bench;

import dev.parley.app.CommandFailedException;
import dev.parley.client.ServerTrust;
import dev.parley.protocol.CertificateFingerprint;
import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.Option;

/**
 * The {@code --server URL} of the bench commands. It means what it means for every parley
 * command: the server's HTTP address, {@code http://HOST:PORT}; a bench that speaks the TCP line
 * protocol finds it on the same host at {@link TcpPortOption --tcp-port}.
 */
final class ServerUrlOption {
  static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "The server's URL, as for every parley command (default: " + DEFAULT_SERVER + ").")
  private String server;

  @Option(
      names = "--fingerprint",
      paramLabel = "SHA256:HEX",
      description = "With an https --server: accept exactly the certificate with this SHA-256 fingerprint (tls=self-signed).")
  private String fingerprint;

  /** Whether {@code --server} was given, rather than defaulted. */
  boolean given() {
    return server != null;
  }

  /** {@code http://HOST:PORT}, with the port filled in when the URL leaves it out. */
  URI url() {
    String address = server != null ? server.strip() : DEFAULT_SERVER;
    URI url = httpUrl(address);
    if (url == null) {
      throw new CommandFailedException(
          "--server takes the server's URL, such as " + DEFAULT_SERVER + " (its TCP port is --tcp-port), not '" + address + "'");
    }
    return url;
  }

  /**
   * For the benches that speak TLS too: {@code http://HOST:PORT} or {@code https://HOST:PORT}, the
   * port filled in when left out.
   */
  URI urlOrTlsUrl() {
    String address = server != null ? server.strip() : DEFAULT_SERVER;
    URI url = httpUrl(address, true);
    if (url == null) {
      throw new CommandFailedException("--server takes the server's URL, such as " + DEFAULT_SERVER
          + " or https://127.0.0.1:8080 (its TCP port is --tcp-port), not '" + address + "'");
    }
    return url;
  }

  /** Which certificate an https server may have: the pinned one, else any a CA vouches for. */
  ServerTrust trust() {
    try {
      return fingerprint == null ? ServerTrust.certificateAuthorities() : ServerTrust.pinned(CertificateFingerprint.parse(fingerprint));
    } catch (IllegalArgumentException e) {
      throw new CommandFailedException(e.getMessage());
    }
  }

  /** {@code address} as {@code http://HOST:PORT}, the port filled in when left out; null unless it is such a URL. */
  static URI httpUrl(String address) {
    return httpUrl(address, false);
  }

  private static URI httpUrl(String address, boolean httpsToo) {
    try {
      URI url = new URI(address);
      boolean noPath = url.getRawPath() == null || url.getRawPath().isEmpty() || url.getRawPath().equals("/");
      boolean https = httpsToo && "https".equals(url.getScheme());
      if (!("http".equals(url.getScheme()) || https) || url.getHost() == null || !noPath || url.getRawQuery() != null) {
        return null;
      }
      return new URI(url.getScheme(), null, url.getHost(), url.getPort() < 0 ? (https ? 443 : 80) : url.getPort(), null, null, null);
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
