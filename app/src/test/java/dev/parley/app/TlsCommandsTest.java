package dev.parley.app;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyConnection;
import dev.parley.client.ServerTrust;
import dev.parley.protocol.CertificateFingerprint;
import dev.parley.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against a server on TLS: {@code parley login --fingerprint} remembers the pin and the
 * later commands use it, a wrong pin is refused before the password leaves, and a real server
 * process re-reads its certificate on SIGHUP without dropping anyone.
 */
class TlsCommandsTest {
  private static final Pattern TLS_LINE = Pattern.compile(
      "tls (SHA256:[0-9a-f]{64}) by (OpenSSL \\(.+\\)|JDK) \\(.+self-signed-cert\\.pem\\); clients pin it: parley login"
          + " --server https://HOST:\\d+ --fingerprint SHA256:[0-9a-f]{64} NAME");

  @TempDir Path temp;

  @Test
  void loginRemembersThePinnedFingerprintAndLaterCommandsUseIt() throws Exception {
    try (TestServer server = TestServer.start(Map.of("tls", "self-signed"))) {
      String https = "https://127.0.0.1:" + server.httpPort();
      String pin = server.server().tlsFingerprint().orElseThrow().toString();
      InProcessCli cli = new InProcessCli(temp.resolve("alice"));

      InProcessCli.Run registered = cli.runWithStdin(PASSWORD + "\n", "register", "--server", https, "--fingerprint", pin, "alice");
      assertThat(registered.exitCode()).as(registered.toString()).isZero();
      // As openssl prints it: upper case with colons.
      String opensslStyle = pin.substring("SHA256:".length()).toUpperCase().replaceAll("(..)(?!$)", "$1:");
      InProcessCli.Run login = cli.runWithStdin(PASSWORD + "\n", "login", "--server", https, "--fingerprint", opensslStyle, "alice");
      assertThat(login.exitCode()).as(login.toString()).isZero();
      assertThat(Files.readString(cli.configDir().resolve(CredentialsFile.FILE_NAME))).contains("\"fingerprint\":\"" + pin + "\"");

      InProcessCli.Run users = cli.run("users");
      assertThat(users.exitCode()).as(users.toString()).isZero();
      assertThat(users.out()).contains("alice");
      InProcessCli.Run sent = cli.run("send", "alice", "你好, TLS");
      assertThat(sent.exitCode()).as(sent.toString()).isZero();
    }
  }

  @Test
  void aWrongFingerprintIsRefusedWithAClearMessageAndNoPasswordIsSent() throws Exception {
    try (TestServer server = TestServer.start(Map.of("tls", "self-signed"))) {
      String https = "https://127.0.0.1:" + server.httpPort();
      byte[] digest = server.server().tlsFingerprint().orElseThrow().sha256();
      digest[31] ^= 1;
      String wrong = new CertificateFingerprint(digest).toString();
      InProcessCli cli = new InProcessCli(temp.resolve("mallory"));

      InProcessCli.Run login = cli.runWithStdin(PASSWORD + "\n", "login", "--server", https, "--fingerprint", wrong, "bob");
      assertThat(login.exitCode()).isEqualTo(1);
      assertThat(login.err()).contains("is not the pinned " + wrong).contains("nothing was sent").doesNotContain(PASSWORD);
      assertThat(cli.configDir().resolve(CredentialsFile.FILE_NAME)).doesNotExist();

      InProcessCli.Run unpinned = cli.runWithStdin(PASSWORD + "\n", "login", "--server", https, "bob");
      assertThat(unpinned.exitCode()).isEqualTo(1);
      assertThat(unpinned.err()).contains("not from a trusted certificate authority").contains("--fingerprint");

      InProcessCli.Run garbage = cli.runWithStdin(PASSWORD + "\n", "login", "--server", https, "--fingerprint", "SHA256:abc", "bob");
      assertThat(garbage.exitCode()).isEqualTo(1);
      assertThat(garbage.err()).contains("not a SHA-256 certificate fingerprint");
      assertThat(server.server().tlsFingerprint()).isPresent();
    }
  }

  @Test
  void sighupReloadsTheCertificateForNewConnectionsAndKeepsOpenOnes() throws Exception {
    Path dataDir = Files.createDirectories(temp.resolve("data"));
    Files.writeString(dataDir.resolve("parley.properties"), "argon2-memory-kib=1024\nargon2-iterations=1\n");
    try (ServerProcess server = ServerProcess.startWith(dataDir, temp.resolve("server.log"), "--tls", "self-signed")) {
      Matcher line = TLS_LINE.matcher(server.nextLine());
      assertThat(line.matches()).as(line.toString()).isTrue();
      CertificateFingerprint before = CertificateFingerprint.parse(line.group(1));
      String token;
      try (ParleyClient client = new ParleyClient(server.https(), ServerTrust.pinned(before))) {
        client.register("alice", PASSWORD);
        token = client.login("alice", PASSWORD).token();
      }
      try (ParleyConnection kept = ParleyConnection.connect(server.https(), ServerTrust.pinned(before), token, null, frame -> {})) {
        CertificateFingerprint after = renewCertificate(dataDir);

        Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(server.process().pid())).inheritIO().start();
        assertThat(hup.waitFor(10, TimeUnit.SECONDS) && hup.exitValue() == 0).isTrue();

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
          try (ParleyClient fresh = new ParleyClient(server.https(), ServerTrust.pinned(after))) {
            assertThat(fresh.users(token, null, null, null)).isNotEmpty();
          }
        });
        assertThat(kept.ping().get(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(server.process().isAlive()).as("the JVM's own SIGHUP handling would have shut it down").isTrue();
        assertThat(server.log()).contains("TLS certificate reloaded").contains(after.toString());
      }
    }
  }

  /** Puts another certificate where the server reads its own, as a renewal would; returns its fingerprint. */
  private CertificateFingerprint renewCertificate(Path dataDir) throws Exception {
    Path other = temp.resolve("other");
    CertificateFingerprint fingerprint;
    try (TestServer generator = TestServer.startOn(other, Map.of("tls", "self-signed"))) {
      fingerprint = generator.server().tlsFingerprint().orElseThrow();
    }
    for (String file : new String[] {"self-signed-key.pem", "self-signed-cert.pem"}) {
      Files.copy(other.resolve("tls").resolve(file), dataDir.resolve("tls").resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    return fingerprint;
  }
}
