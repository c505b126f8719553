package dev.parley.app;

import dev.parley.client.ParleyClient;
import dev.parley.client.ServerTrust;
import dev.parley.protocol.CertificateFingerprint;
import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The {@code --server} and {@code --fingerprint} options of the client commands, and which server,
 * login and certificate they use. Server precedence: {@code --server}, then {@code $PARLEY_SERVER},
 * then the server of the saved login, then {@value #DEFAULT_SERVER}. Certificate: the one
 * {@code --fingerprint} pins, else the one pinned with the saved login when talking to its server,
 * else any a trusted certificate authority vouches for.
 */
final class ServerOption {
  static final String DEFAULT_SERVER = "http://localhost:8080";

  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "Server address (default: $PARLEY_SERVER, else the server of the saved login, else "
          + DEFAULT_SERVER + ").")
  private String server;

  @Option(
      names = "--fingerprint",
      paramLabel = "SHA256:HEX",
      description = "Accept exactly the https server certificate with this SHA-256 fingerprint, as the server printed it"
          + " at start (tls=self-signed). 'parley login' remembers it for the later commands.")
  private String fingerprint;

  /** A client of the chosen server, for commands that need no login. */
  ParleyClient anonymousClient(CliEnvironment environment) {
    Optional<SavedLogin> saved = new CredentialsFile(environment.configDir()).load();
    URI address = toUri(explicitServer(environment).orElse(saved.map(SavedLogin::server).orElse(DEFAULT_SERVER)));
    String savedPin = saved.filter(login -> login.server().equals(normalized(address))).map(SavedLogin::fingerprint).orElse(null);
    return new ParleyClient(address, trust(address, savedPin));
  }

  /**
   * A client of the saved login's server, with that login. When a server was chosen explicitly it
   * must be the one the login belongs to: the token is never sent to any other server.
   */
  SignedIn signedIn(CliEnvironment environment) {
    SavedLogin login = new CredentialsFile(environment.configDir()).load()
        .orElseThrow(() -> new CommandFailedException("not logged in; run 'parley login NAME' first"));
    Optional<String> chosen = explicitServer(environment);
    URI address = toUri(chosen.orElse(login.server()));
    ParleyClient client = new ParleyClient(address, trust(address, login.fingerprint()));
    if (!client.base().toString().equals(login.server())) {
      client.close();
      throw new CommandFailedException("logged in to " + login.server() + ", not " + client.base()
          + "; run 'parley login --server " + chosen.orElseThrow() + " NAME' first");
    }
    return new SignedIn(client, login);
  }

  /**
   * What certificate to accept from {@code address}: the {@code --fingerprint} given, else {@code
   * savedPin}, else the CAs'.
   */
  private ServerTrust trust(URI address, String savedPin) {
    String pin = fingerprint != null ? fingerprint : savedPin;
    if (pin == null) {
      return ServerTrust.certificateAuthorities();
    }
    if (fingerprint != null && !"https".equalsIgnoreCase(address.getScheme())) {
      throw new CommandFailedException("--fingerprint pins the certificate of an https:// server; " + address + " is not one");
    }
    try {
      return ServerTrust.pinned(CertificateFingerprint.parse(pin));
    } catch (IllegalArgumentException e) {
      throw new CommandFailedException(e.getMessage());
    }
  }

  /** The base address as a client normalises it, to compare with a saved login's. */
  private static String normalized(URI address) {
    try {
      return ParleyClient.normalize(address).toString();
    } catch (IllegalArgumentException e) {
      throw new CommandFailedException(e.getMessage());
    }
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
