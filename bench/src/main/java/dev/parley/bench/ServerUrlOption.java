package dev.parley.bench;

import dev.parley.app.CommandFailedException;
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

  /** {@code address} as {@code http://HOST:PORT}, the port filled in when left out; null unless it is such a URL. */
  static URI httpUrl(String address) {
    try {
      URI url = new URI(address);
      boolean noPath = url.getRawPath() == null || url.getRawPath().isEmpty() || url.getRawPath().equals("/");
      if (!"http".equals(url.getScheme()) || url.getHost() == null || !noPath || url.getRawQuery() != null) {
        return null;
      }
      return new URI("http", null, url.getHost(), url.getPort() < 0 ? 80 : url.getPort(), null, null, null);
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
