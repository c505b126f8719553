package dev.parley.bench;

import dev.parley.app.CommandFailedException;
import dev.parley.bench.load.BenchUser;
import dev.parley.bench.load.IrcTarget;
import dev.parley.bench.load.MessageTarget;
import dev.parley.bench.load.ParleyTarget;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Which server {@code bench messages} and {@code bench rooms} measure: Parley's TCP line protocol
 * ({@code --server URL --tcp-port N --tokens FILE}; over TLS when the URL is https, with {@code
 * --fingerprint} for a self-signed certificate) or an IRC server ({@code --target irc://HOST:PORT}).
 */
final class MessageTargetOptions {
  @Mixin private ServerUrlOption server;

  @Mixin private TcpPortOption tcpPort;

  @Option(
      names = "--target",
      paramLabel = "URL",
      description = "irc://HOST:PORT: an IRC server such as ngircd, instead of the Parley server.")
  private URI target;

  @Option(names = "--tokens", paramLabel = "FILE", description = "Token file from 'parley admin mint-tokens'; Parley only.")
  private Path tokens;

  MessageTarget target() {
    if (target == null) {
      if (tokens == null) {
        throw new CommandFailedException("a Parley server needs --tokens FILE");
      }
      URI url = server.urlOrTlsUrl();
      // The TCP port speaks TLS exactly when the HTTP port does.
      SSLContext tls = url.getScheme().equals("https") ? server.trust().sslContext() : null;
      return new ParleyTarget(tcpPort.on(url), tls, BenchUser.readAll(tokens));
    }
    if (server.given()) {
      throw new CommandFailedException("give either --server URL (Parley) or --target irc://HOST:PORT, not both");
    }
    if (!"irc".equals(target.getScheme()) || target.getHost() == null || target.getPort() < 0) {
      throw new CommandFailedException("--target takes irc://HOST:PORT, not " + target);
    }
    if (tokens != null) {
      throw new CommandFailedException("--tokens is for a Parley server; IRC needs no accounts");
    }
    return new IrcTarget(new InetSocketAddress(target.getHost(), target.getPort()));
  }
}
