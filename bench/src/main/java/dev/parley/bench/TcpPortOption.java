package dev.parley.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import picocli.CommandLine.Option;

/** The server's TCP line-protocol port, for the benches that speak it: the host is {@code --server}'s. */
final class TcpPortOption {
  @Option(
      names = "--tcp-port",
      defaultValue = "7070",
      paramLabel = "N",
      description = "The server's TCP line-protocol port, on the --server host (default: ${DEFAULT-VALUE}).")
  private int tcpPort;

  InetSocketAddress on(URI server) {
    return new InetSocketAddress(server.getHost(), tcpPort);
  }
}
