package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.CertificateFingerprint;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.LineClient;
import dev.parley.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client library against a real server on TLS: HTTPS, WSS and TLS on the TCP port with a
 * pinned self-signed certificate, a wrong pin refused before anything is sent, a certificate
 * reload that keeps open connections, and resumable transfers over HTTPS.
 */
class TlsClientTest {
  private static final String PASSWORD = "correct horse 42";

  @TempDir Path temp;

  @Test
  void httpsWssAndTlsTcpWorkWithThePinnedFingerprint() throws Exception {
    try (TestServer server = TestServer.start(Map.of("tls", "self-signed"))) {
      ServerTrust pinned = ServerTrust.pinned(server.server().tlsFingerprint().orElseThrow());
      try (ParleyClient client = new ParleyClient(https(server), pinned)) {
        client.register("张伟", PASSWORD);
        client.register("bob", PASSWORD);
        String token = client.login("张伟", PASSWORD).token();
        String bobToken = client.login("bob", PASSWORD).token();

        List<ServerFrame> bobSaw = new CopyOnWriteArrayList<>();
        try (ParleyConnection wss = client.connect(token, null, frame -> {});
            ParleyConnection bob = client.connect(bobToken, null, bobSaw::add)) {
          assertThat(wss.username()).isEqualTo("张伟");
          wss.sendMessage("bob", "你好 over wss").get(10, TimeUnit.SECONDS);
          await().atMost(Duration.ofSeconds(10)).until(() -> bobSaw.stream()
              .anyMatch(f -> f instanceof ServerFrame.Message m && "你好 over wss".equals(m.text())));
        }

        SSLSocket socket = (SSLSocket) pinned.sslContext().getSocketFactory().createSocket("127.0.0.1", server.tcpPort());
        try (LineClient tcp = LineClient.over(socket)) {
          tcp.send(new ClientFrame.Auth("a1", token, null));
          assertThat(tcp.next(ServerFrame.Welcome.class).username()).isEqualTo("张伟");
          tcp.send(new ClientFrame.Ping("p1"));
          assertThat(tcp.next(ServerFrame.Pong.class).id()).isEqualTo("p1");
        }
        assertThat(socket.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
      }
    }
  }

  @Test
  void aWrongFingerprintIsRefusedBeforeTheLoginIsSent() throws Exception {
    try (TestServer server = TestServer.start(Map.of("tls", "self-signed"))) {
      try (ParleyClient right = new ParleyClient(https(server), ServerTrust.pinned(server.server().tlsFingerprint().orElseThrow()))) {
        right.register("carol", PASSWORD);
      }
      byte[] other = server.server().tlsFingerprint().orElseThrow().sha256();
      other[0] ^= 1;
      try (ParleyClient wrong = new ParleyClient(https(server), ServerTrust.pinned(new CertificateFingerprint(other)))) {
        assertThatThrownBy(() -> wrong.login("carol", PASSWORD))
            .isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining("is not the pinned " + new CertificateFingerprint(other))
            .hasMessageContaining("nothing was sent");
        assertThatThrownBy(() -> ParleyConnection.connect(
            https(server), ServerTrust.pinned(new CertificateFingerprint(other)), "no-token", null, frame -> {}))
            .isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining("is not the pinned");
      }
      assertThat(logins(server)).isZero();
    }
  }

  @Test
  void withoutAPinASelfSignedCertificateIsRefusedByTheCertificateAuthorityChecks() throws Exception {
    try (TestServer server = TestServer.start(Map.of("tls", "self-signed"));
        ParleyClient client = new ParleyClient(https(server))) {
      assertThatThrownBy(() -> client.login("nobody", PASSWORD))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("not from a trusted certificate authority")
          .hasMessageContaining("fingerprint");
      assertThat(logins(server)).isZero();
    }
  }

  @Test
  void aReloadedCertificateServesNewConnectionsAndOpenOnesStayUp() throws Exception {
    Path second = certificate("second");
    try (TestServer server = serverReading(certificate("first"))) {
      CertificateFingerprint before = server.server().tlsFingerprint().orElseThrow();
      ServerTrust oldPin = ServerTrust.pinned(before);
      String token;
      try (ParleyClient client = new ParleyClient(https(server), oldPin)) {
        client.register("dana", PASSWORD);
        token = client.login("dana", PASSWORD).token();
      }
      try (ParleyConnection kept = ParleyConnection.connect(https(server), oldPin, token, null, frame -> {})) {
        install(second);
        CertificateFingerprint after = server.server().reloadTlsCertificate().orElseThrow();

        assertThat(after).isNotEqualTo(before).isEqualTo(fingerprintOf(second.resolve("cert.pem")));
        assertThat(kept.ping().get(10, TimeUnit.SECONDS)).isNotNull();
        try (ParleyClient stale = new ParleyClient(https(server), oldPin);
            ParleyClient fresh = new ParleyClient(https(server), ServerTrust.pinned(after))) {
          assertThatThrownBy(() -> stale.users(token, null, null, null)).hasMessageContaining("is not the pinned " + before);
          assertThat(fresh.users(token, null, null, null)).extracting(ServerFrame.UserEntry::username).contains("dana");
        }
        assertThat(kept.ping().get(10, TimeUnit.SECONDS)).isNotNull();
      }
    }
  }

  @Test
  void aBrokenCertificateOnReloadKeepsTheOneInUse() throws Exception {
    try (TestServer server = serverReading(certificate("first"))) {
      Path cert = temp.resolve("cert.pem");
      CertificateFingerprint before = server.server().tlsFingerprint().orElseThrow();
      Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nhalf a renewal");
      assertThatThrownBy(() -> server.server().reloadTlsCertificate()).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(cert.toString());
      assertThat(server.server().tlsFingerprint()).hasValue(before);
      try (ParleyClient client = new ParleyClient(https(server), ServerTrust.pinned(before))) {
        assertThat(client.register("erin", PASSWORD)).isEqualTo("erin");
      }
    }
  }

  @Test
  void aTusUploadAndARangedDownloadWorkOverHttps() throws Exception {
    try (TestServer server = TestServer.start(Map.of("tls", "self-signed"))) {
      ServerTrust pinned = ServerTrust.pinned(server.server().tlsFingerprint().orElseThrow());
      byte[] bytes = new byte[5 * (1 << 20) + 123];
      new Random(7).nextBytes(bytes);
      Path source = Files.write(temp.resolve("报告.bin"), bytes);
      try (ParleyClient client = new ParleyClient(https(server), pinned)) {
        client.register("alice", PASSWORD);
        client.register("bob", PASSWORD);
        String alice = client.login("alice", PASSWORD).token();
        String bob = client.login("bob", PASSWORD).token();
        ServerFrame.Message sent = client.upload(alice, source, "bob", UploadOptions.defaults().withChunkSize(1 << 20));
        Path target = client.download(bob, sent.file().id(), temp.resolve("received.bin"), ProgressListener.NONE);
        assertThat(Files.readAllBytes(target)).isEqualTo(bytes);

        HttpResponse<byte[]> range = HttpClient.newBuilder().sslContext(pinned.sslContext()).build().send(
            HttpRequest.newBuilder(https(server).resolve("/api/v1/files/" + sent.file().id()))
                .header("Authorization", "Bearer " + bob)
                .header("Range", "bytes=4194300-4194399")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(bytes, 4194300, 4194400));
        assertThat(range.headers().firstValue("Strict-Transport-Security")).isPresent();
      }
    }
  }

  private static URI https(TestServer server) {
    return URI.create("https://127.0.0.1:" + server.httpPort());
  }

  /** Successful logins the server counted, from its metrics. */
  private static double logins(TestServer server) throws IOException, InterruptedException {
    String metrics = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(server.admin().resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    return metrics.lines()
        .filter(line -> line.startsWith("parley_logins_total{") && line.contains("result=\"success\""))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** A certificate and key made by OpenSSL, as an admin would, in their own directory. */
  private Path certificate(String name) throws IOException, InterruptedException {
    Path dir = Files.createDirectories(temp.resolve(name));
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-days", "2", "-subj", "/CN=" + name + ".parley.test",
        "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString())
        .redirectErrorStream(true).start();
    String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(openssl.exitValue()).as(output).isZero();
    return dir;
  }

  /** A server on {@code tls-cert}/{@code tls-key} files in the temp directory, first copied from {@code from}. */
  private TestServer serverReading(Path from) throws IOException {
    install(from);
    return TestServer.start(Map.of("tls-cert", temp.resolve("cert.pem"), "tls-key", temp.resolve("key.pem")));
  }

  /** As a renewal script does: the new files copied over the ones the server reads. */
  private void install(Path from) throws IOException {
    Files.copy(from.resolve("key.pem"), temp.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(from.resolve("cert.pem"), temp.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static CertificateFingerprint fingerprintOf(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return CertificateFingerprint.of(CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded());
    }
  }
}
