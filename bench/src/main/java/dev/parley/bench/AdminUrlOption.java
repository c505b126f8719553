package dev.parley.bench;

import dev.parley.app.CommandFailedException;
import java.net.URI;
import picocli.CommandLine.Option;

/**
 * The {@code --admin URL} of the benches that read the server's {@code /metrics}: its admin
 * listener ({@code admin-host}/{@code admin-port}, the {@code admin=} of its ready line), a URL
 * like {@link ServerUrlOption --server}.
 */
final class AdminUrlOption {
  static final String DEFAULT_ADMIN = "http://127.0.0.1:8081";

  @Option(
      names = "--admin",
      defaultValue = DEFAULT_ADMIN,
      paramLabel = "URL",
      description = "The server's admin listener, for its /metrics (default: ${DEFAULT-VALUE}).")
  private String admin;

  /** {@code http://HOST:PORT}, with the port filled in when the URL leaves it out. */
  URI url() {
    URI url = ServerUrlOption.httpUrl(admin.strip());
    if (url == null) {
      throw new CommandFailedException(
          "--admin takes the URL of the server's admin listener, such as " + DEFAULT_ADMIN + ", not '" + admin.strip() + "'");
    }
    return url;
  }
}
