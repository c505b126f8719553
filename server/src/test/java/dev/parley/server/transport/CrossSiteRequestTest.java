package dev.parley.server.transport;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.Http;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.Tus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A browser page of another site must not act on the server through its user's browser: the
 * Origin check on state-changing requests and WebSocket upgrades, the JSON Content-Type that a
 * cross-site form cannot send, and the Host check against DNS rebinding. Raw sockets, because
 * the JDK client does not let a test choose Host or make an upgrade by hand.
 */
class CrossSiteRequestTest {
  private static final String EVIL = "https://evil.example";
  private static final AtomicInteger NAMES = new AtomicInteger();

  private static TestServer server;
  private static Http http;
  private static String alice;

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
    http = new Http(server.http());
    alice = http.registerAndLogin("alice", PASSWORD);
    http.registerAndLogin("bob", PASSWORD);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  /** A raw HTTP/1.1 exchange: the status line and headers, then a body of Content-Length, if any. */
  private record Raw(String head, String body) {
    int status() {
      return Integer.parseInt(head.substring(9, 12));
    }

    String errorCode() {
      int at = body.indexOf("\"code\":\"");
      return at < 0 ? null : body.substring(at + 8, body.indexOf('"', at + 8));
    }
  }

  private static Raw exchange(int port, String request) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.getOutputStream().write(request.getBytes(UTF_8));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.write(b);
      }
      String headText = head.toString(StandardCharsets.ISO_8859_1);
      int length = headText.toLowerCase().contains("content-length: ") ? contentLength(headText) : 0;
      return new Raw(headText, new String(in.readNBytes(length), UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length: ")) {
        return Integer.parseInt(line.substring(16).strip());
      }
    }
    return 0;
  }

  /** A POST with exactly these headers (Host, Content-Type, Origin as the test says) and a JSON body. */
  private static Raw post(TestServer target, String path, String headers, String body) {
    return exchange(target.httpPort(), "POST " + path + " HTTP/1.1\r\n" + headers
        + "Content-Length: " + body.getBytes(UTF_8).length + "\r\nConnection: close\r\n\r\n" + body);
  }

  private static String registration(String username) {
    return "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}";
  }

  private static String newName() {
    return "user" + NAMES.incrementAndGet();
  }

  private static String sameHost() {
    return "Host: 127.0.0.1:" + server.httpPort() + "\r\n";
  }

  private static Raw upgrade(TestServer target, String host, String origin) {
    return exchange(target.httpPort(), "GET /api/v1/ws HTTP/1.1\r\nHost: " + host + "\r\n"
        + (origin == null ? "" : "Origin: " + origin + "\r\n")
        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
  }

  @Test
  void aCrossSiteFormPostToRegisterIsRefusedAndCreatesNoAccount() {
    String name = newName();
    Raw reply = post(server, "/api/v1/register", sameHost() + "Origin: " + EVIL + "\r\nContent-Type: text/plain\r\n", registration(name));

    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.errorCode()).isEqualTo("forbidden_origin");
    assertThat(http.post("/api/v1/login", Map.of("username", name, "password", PASSWORD)).errorCode())
        .isEqualTo("bad_credentials");
  }

  @Test
  void aJsonBodyMustBeDeclaredApplicationJson() {
    for (String contentType : new String[] {"text/plain", "application/x-www-form-urlencoded", null}) {
      String name = newName();
      String header = contentType == null ? "" : "Content-Type: " + contentType + "\r\n";
      Raw reply = post(server, "/api/v1/register", sameHost() + header, registration(name));

      assertThat(reply.status()).as(contentType).isEqualTo(415);
      assertThat(reply.errorCode()).as(contentType).isEqualTo("unsupported_media_type");
      assertThat(reply.body()).as(contentType).contains("send Content-Type: application/json");
    }
    Raw declared = post(
        server, "/api/v1/register", sameHost() + "Content-Type: Application/JSON; charset=utf-8\r\n", registration(newName()));
    assertThat(declared.status()).isEqualTo(201);
  }

  @Test
  void aBearerEndpointChecksTheTokenBeforeTheContentType() {
    Raw anonymous = post(server, "/api/v1/messages", sameHost() + "Content-Type: text/plain\r\n", "{\"to\":\"bob\",\"text\":\"hi\"}");
    assertThat(anonymous.status()).isEqualTo(401);

    Raw withToken = post(server, "/api/v1/messages",
        sameHost() + "Authorization: Bearer " + alice + "\r\nContent-Type: text/plain\r\n", "{\"to\":\"bob\",\"text\":\"hi\"}");
    assertThat(withToken.status()).isEqualTo(415);
  }

  @Test
  void aSameOriginPostOrOneWithoutOriginIsServed() {
    String json = "Content-Type: application/json\r\n";
    assertThat(post(server, "/api/v1/register", sameHost() + json + "Origin: http://127.0.0.1:" + server.httpPort() + "\r\n",
        registration(newName())).status()).isEqualTo(201);
    assertThat(post(server, "/api/v1/register", sameHost() + json, registration(newName())).status()).isEqualTo(201);
  }

  @Test
  void anOriginOnAnotherHostOrPortOrANullOriginIsAnotherSite() {
    int port = server.httpPort();
    for (String origin : new String[] {"http://127.0.0.1:" + (port + 1), "http://127.0.0.1", "null", "http://localhost:" + port}) {
      Raw reply = post(server, "/api/v1/register",
          sameHost() + "Content-Type: application/json\r\nOrigin: " + origin + "\r\n", registration(newName()));

      assertThat(reply.status()).as(origin).isEqualTo(403);
      assertThat(reply.errorCode()).as(origin).isEqualTo("forbidden_origin");
    }
  }

  @Test
  void crossSiteTusRequestsAreRefusedAndLeaveTheUploadAsItWas() {
    Tus tus = new Tus(server.http());
    String path = tus.createdPath(alice, 5, Tus.metadata(Map.of("filename", "a.txt", "to", "bob")));
    Map<String, String> evil = Tus.headers("Origin", EVIL);

    HttpResponse<String> create = tus.send("POST", "/api/v1/uploads", alice,
        Tus.headers("Origin", EVIL, "Upload-Length", "5", "Upload-Metadata", Tus.metadata(Map.of("filename", "b.txt", "to", "bob"))), null);
    HttpResponse<String> patch = tus.patch(alice, path, 0, "hello".getBytes(UTF_8), evil);
    HttpResponse<String> overridden = tus.send("POST", path, alice, Tus.headers(
        "Origin", EVIL, "X-HTTP-Method-Override", "PATCH", "Content-Type", "application/offset+octet-stream", "Upload-Offset", "0"),
        "hello".getBytes(UTF_8));
    HttpResponse<String> delete = tus.send("DELETE", path, alice, evil, null);

    for (HttpResponse<String> refused : List.of(create, patch, overridden, delete)) {
      assertThat(refused.statusCode()).as(refused.request().method()).isEqualTo(403);
      assertThat(refused.body()).as(refused.request().method()).contains("forbidden_origin");
    }
    HttpResponse<String> head = tus.send("HEAD", path, alice, evil, null);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Upload-Offset")).hasValue("0");
    assertThat(tus.patch(alice, path, 0, "hello".getBytes(UTF_8)).statusCode()).isEqualTo(204);
  }

  @Test
  void aWebSocketUpgradeFromAnotherSiteIsRefused() {
    String host = "127.0.0.1:" + server.httpPort();
    Raw crossSite = upgrade(server, host, EVIL);
    assertThat(crossSite.status()).isEqualTo(403);
    assertThat(crossSite.errorCode()).isEqualTo("forbidden_origin");

    assertThat(upgrade(server, host, "http://" + host).status()).isEqualTo(101);
    assertThat(upgrade(server, host, null).status()).isEqualTo(101);
  }

  @Test
  void originsInAllowedOriginsMayPostAndUpgrade() {
    try (TestServer allowing = TestServer.start(Map.of("allowed-origins", "https://app.example.org, http://tools.example.org:8000"))) {
      String host = "Host: 127.0.0.1:" + allowing.httpPort() + "\r\nContent-Type: application/json\r\n";
      for (String origin : new String[] {"https://app.example.org", "https://APP.example.org:443", "http://tools.example.org:8000"}) {
        assertThat(post(allowing, "/api/v1/register", host + "Origin: " + origin + "\r\n", registration(newName())).status())
            .as(origin)
            .isEqualTo(201);
      }
      assertThat(post(allowing, "/api/v1/register", host + "Origin: http://app.example.org\r\n", registration(newName())).status())
          .isEqualTo(403);
      assertThat(upgrade(allowing, "127.0.0.1:" + allowing.httpPort(), "https://app.example.org").status()).isEqualTo(101);
    }
  }

  @Test
  void withAPublicUrlAHostThatIsNotTheServersIsMisdirected() {
    try (TestServer named = TestServer.start(Map.of("public-url", "https://chat.example.org"))) {
      int port = named.httpPort();
      for (String host : new String[] {"evil.example", "rebind.evil.example:" + port, "chat.example.org:8443", "chat.example.org.evil.example"}) {
        Raw reply = exchange(port, "GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
        assertThat(reply.status()).as(host).isEqualTo(421);
        assertThat(reply.errorCode()).as(host).isEqualTo("misdirected_request");
      }
      Raw upgrade = upgrade(named, "evil.example:" + port, null);
      assertThat(upgrade.status()).isEqualTo(421);

      for (String host : new String[] {"chat.example.org", "Chat.Example.org:443", "localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port}) {
        Raw reply = exchange(port, "GET /healthz HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
        assertThat(reply.status()).as(host).isEqualTo(200);
      }
      // Behind its proxy the public site is the same origin, whatever Host the proxy passes on.
      assertThat(post(named, "/api/v1/register", "Host: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
          + "Origin: https://chat.example.org\r\n", registration(newName())).status()).isEqualTo(201);
    }
  }

  @Test
  void withoutAPublicUrlAnyHostIsServed() {
    Raw reply = exchange(server.httpPort(), "GET /healthz HTTP/1.1\r\nHost: anything.example\r\nConnection: close\r\n\r\n");
    assertThat(reply.status()).isEqualTo(200);
  }
}
