package dev.parley.bench;

import dev.parley.app.CommandFailedException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;

/** {@code HOST:PORT} options of the bench commands; an IPv6 host goes in brackets. */
final class HostPort {
  private HostPort() {}

  static InetSocketAddress parse(String option, String hostPort) {
    try {
      URI uri = new URI("tcp://" + hostPort);
      if (uri.getHost() == null || uri.getPort() < 0 || uri.getPath().length() > 0) {
        throw new URISyntaxException(hostPort, "no host and port");
      }
      return new InetSocketAddress(uri.getHost().replace("[", "").replace("]", ""), uri.getPort());
    } catch (URISyntaxException e) {
      throw new CommandFailedException(option + " takes HOST:PORT, not " + hostPort);
    }
  }
}
