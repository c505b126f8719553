package dev.parley.app;

import dev.parley.client.ParleyClient;
import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The {@code --server} option of the client commands, and which server and login they use.
 * Precedence: {@code --server}, then {@code $PARLEY_SERVER}, then the server of the saved login,
 * then {@value #DEFAULT_SERVER}.
 */
final class ServerOption {
  static final String DEFAULT_SERVER = "http://localhost:8080";

  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "Server address (default: $PARLEY_SERVER, else the server of the saved login, else "
          + DEFAULT_SERVER + ").")
  private String server;

  /** A client of the chosen server, for commands that need no login. */
  ParleyClient anonymousClient(CliEnvironment environment) {
    Optional<String> chosen = explicitServer(environment);
    if (chosen.isPresent()) {
      return new ParleyClient(toUri(chosen.get()));
    }
    String saved = new CredentialsFile(environment.configDir()).load().map(SavedLogin::server).orElse(DEFAULT_SERVER);
    return new ParleyClient(toUri(saved));
  }

  /**
   * A client of the saved login's server, with that login. When a server was chosen explicitly it
   * must be the one the login belongs to: the token is never sent to any other server.
   */
  SignedIn signedIn(CliEnvironment environment) {
    SavedLogin login = new CredentialsFile(environment.configDir()).load()
        .orElseThrow(() -> new CommandFailedException("not logged in; run 'parley login NAME' first"));
    Optional<String> chosen = explicitServer(environment);
    ParleyClient client = new ParleyClient(toUri(chosen.orElse(login.server())));
    if (!client.base().toString().equals(login.server())) {
      client.close();
      throw new CommandFailedException("logged in to " + login.server() + ", not " + client.base()
          + "; run 'parley login --server " + chosen.orElseThrow() + " NAME' first");
    }
    return new SignedIn(client, login);
  }

  private Optional<String> explicitServer(CliEnvironment environment) {
    return Optional.ofNullable(server != null ? server : environment.variable("PARLEY_SERVER"));
  }

  private static URI toUri(String address) {
    try {
      return URI.create(address.strip());
    } catch (IllegalArgumentException e) {
      throw new CommandFailedException("not a server address: '" + address + "'");
    }
  }
}
