package dev.parley.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.CertificateFingerprint;
import dev.parley.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

/**
 * The HTTP and TCP ports under {@code tls=self-signed}, seen by raw TLS sockets and by OpenSSL's
 * own client: what they accept, what they refuse, and what a client that forgot TLS is told.
 */
class TlsPortsTest {
  private static final Map<String, Object> SELF_SIGNED = Map.of("tls", "self-signed");

  @Test
  void aSelfSignedCertificateIsGeneratedOnceInTheDataDirectoryAndServedOnBothPorts() throws Exception {
    Path dataDir = Files.createTempDirectory("parley-tls");
    try {
      CertificateFingerprint first;
      try (TestServer server = TestServer.startOn(dataDir, SELF_SIGNED)) {
        first = server.server().tlsFingerprint().orElseThrow();
        assertThat(first.toString()).matches("SHA256:[0-9a-f]{64}");
        assertThat(CertificateFingerprint.of(handshake(server.httpPort(), List.of("http/1.1")).getEncoded())).isEqualTo(first);
        assertThat(CertificateFingerprint.of(handshake(server.tcpPort(), List.of()).getEncoded())).isEqualTo(first);
      }
      Path key = dataDir.resolve("tls").resolve(GeneratedCertificate.KEY_FILE);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
      try (TestServer again = TestServer.startOn(dataDir, SELF_SIGNED)) {
        assertThat(again.server().tlsFingerprint()).hasValue(first);
      }
    } finally {
      TestServer.deleteRecursively(dataDir);
    }
  }

  @Test
  void httpsAnswersWithHstsAndTheHealthCheckAndPlainHttpHasNoHsts() throws Exception {
    try (TestServer tls = TestServer.start(SELF_SIGNED); TestServer plain = TestServer.start()) {
      HttpResponse<String> health = trustingAnything().send(
          HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + tls.httpPort() + "/healthz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");

      HttpResponse<String> plainHealth = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(plain.http().resolve("/healthz")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(plainHealth.statusCode()).isEqualTo(200);
      assertThat(plainHealth.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }
  }

  @Test
  void plainHttpToTheHttpsPortIsToldToUseHttpsAndClosed() throws Exception {
    try (TestServer server = TestServer.start(SELF_SIGNED)) {
      String answer = exchangePlain(server.httpPort(), "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("Connection: close").contains("\"bad_request\"")
          .contains("use https://");
    }
  }

  @Test
  void aPlainLineToTheTlsTcpPortGetsAnErrorLineAndIsClosed() throws Exception {
    try (TestServer server = TestServer.start(SELF_SIGNED)) {
      String answer = exchangePlain(server.tcpPort(), "{\"type\":\"auth\",\"token\":\"x\"}\n");
      assertThat(answer).startsWith("{\"type\":\"error\"").contains("\"bad_request\"").contains("speaks TLS").endsWith("\n");
    }
  }

  @Test
  void onlyTls12AndUpWithForwardSecretAeadCiphersAreAccepted() throws Exception {
    try (TestServer server = TestServer.start(SELF_SIGNED)) {
      int port = server.httpPort();
      assertThat(openssl(port, "-tls1_2")).contains("Protocol  : TLSv1.2").doesNotContain("alert");
      assertThat(openssl(port, "-tls1_3")).contains("TLSv1.3");
      // SECLEVEL=0 lets OpenSSL itself offer TLS 1.1, so the refusal seen is the server's.
      assertThat(openssl(port, "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0")).contains("alert protocol version");
      assertThat(openssl(port, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:AES128-GCM-SHA256"))
          .contains("handshake failure");
    }
  }

  /** Handshakes as a client that accepts any certificate, and returns the one the server sent. */
  private static X509Certificate handshake(int port, List<String> alpn) throws IOException {
    try (SSLSocket socket = (SSLSocket) trustAll().getSocketFactory().createSocket("127.0.0.1", port)) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setApplicationProtocols(alpn.toArray(String[]::new));
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      if (!alpn.isEmpty()) {
        assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
      }
      assertThat(socket.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  /** Sends {@code request} in plain text and reads until the server closes. */
  private static String exchangePlain(int port, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** {@code openssl s_client} against the port with {@code options}; its stdout and stderr. */
  private static String openssl(int port, String... options) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port));
    command.addAll(List.of(options));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return output;
  }

  private static HttpClient trustingAnything() {
    return HttpClient.newBuilder().sslContext(trustAll()).build();
  }

  private static SSLContext trustAll() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new AnyCertificate()}, new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Accepts whatever the server sends: these tests look at the certificate instead of trusting it. */
  private static final class AnyCertificate extends X509ExtendedTrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
