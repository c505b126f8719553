package dev.parley.server.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.admin.OperatorAccounts;
import dev.parley.server.testing.CapturedLog;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.Transport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code max-connections}: past it new connections are refused with {@code server_full}, and the open ones carry on. */
class ConnectionLimitTest {
  private static final int MAX = 3;

  @TempDir Path dataDir;

  @RegisterExtension final CapturedLog log = new CapturedLog(ConnectionLimit.class);

  @Test
  void pastTheLimitTcpAndHttpAreRefusedOnceLoggedAndTheOpenConnectionsKeepChatting() throws Exception {
    // Tokens straight in the database: a registration over HTTP would hold a keep-alive slot.
    Map<String, String> tokens = usersWithTokens("alice", "bob", "carol", "dave");
    try (TestServer server = TestServer.startOn(dataDir, Map.of("max-connections", MAX));
        FrameClient alice = Transport.TCP.connect(server, tokens.get("alice"), null);
        FrameClient bob = Transport.WEBSOCKET.connect(server, tokens.get("bob"), null)) {
      FrameClient carol = Transport.TCP.connect(server, tokens.get("carol"), null);

      assertThat(refusedTcpLine(server)).contains("\"code\":\"server_full\"").contains("server full (3 connections)");
      HttpResponse<String> http = get(server.http().resolve("/healthz"));
      assertThat(http.statusCode()).isEqualTo(503);
      assertThat(http.headers().firstValue("Retry-After")).hasValue("5");
      assertThat(http.headers().firstValue("Connection")).hasValue("close");
      assertThat(http.body()).contains("\"code\":\"server_full\"");
      HttpResponse<?> upgrade = refusedWebSocketUpgrade(server.webSocket());
      assertThat(upgrade.statusCode()).isEqualTo(503);
      assertThat(upgrade.headers().firstValue("Retry-After")).hasValue("5");

      assertThat(alice.sendMessage("m1", "bob", "still here").seq()).isPositive();
      assertThat(bob.nextMatching(ServerFrame.Message.class, m -> true).text()).isEqualTo("still here");

      carol.close();
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
        try (FrameClient dave = Transport.TCP.connect(server, tokens.get("dave"), null)) {
          assertThat(dave.isClosed()).isFalse();
        }
      });

      assertThat(warnings()).containsExactly("max-connections (3) reached: refusing new connections until some close");
      assertThat(log.messages(Level.INFO)).containsExactly("below max-connections again: 2 of 3 open");
    }
  }

  @Test
  void aFullServerLogsOnceHoweverManyItRefuses() throws Exception {
    Map<String, String> tokens = usersWithTokens("erin");
    try (TestServer server = TestServer.startOn(dataDir, Map.of("max-connections", 1));
        FrameClient erin = Transport.TCP.connect(server, tokens.get("erin"), null)) {
      List<String> refusals = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        refusals.add(refusedTcpLine(server));
      }

      assertThat(refusals).allSatisfy(line -> assertThat(line).contains("\"code\":\"server_full\""));
      assertThat(warnings()).hasSize(1);
      erin.send(new ClientFrame.Ping("p1"));
      assertThat(erin.next()).isEqualTo(new ServerFrame.Pong("p1"));
    }
  }

  /** Connects, sends an auth line at once (as clients do) and returns what the server answers before it closes. */
  private static String refusedTcpLine(TestServer server) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.tcpPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("{\"type\":\"auth\",\"token\":\"whatever\"}\n".getBytes(UTF_8));
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
      String line = in.readLine();
      assertThat(in.readLine()).as("the server closes after its one line").isNull();
      return line;
    }
  }

  private static HttpResponse<String> get(URI uri) throws Exception {
    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  /** The HTTP response to an upgrade the server refused; fails if it upgrades. */
  private static HttpResponse<?> refusedWebSocketUpgrade(URI uri) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      client.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {}).get().abort();
      throw new AssertionError("the upgrade succeeded");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
      return ((WebSocketHandshakeException) e.getCause()).getResponse();
    }
  }

  private List<String> warnings() {
    return log.messages(Level.WARN);
  }

  private Map<String, String> usersWithTokens(String... names) {
    Map<String, String> tokens = new LinkedHashMap<>();
    try (OperatorAccounts accounts = OperatorAccounts.open(dataDir)) {
      accounts.createUsers(List.of(names), "not-the-point-1");
      accounts.mintTokens(List.of(names)).forEach(minted -> tokens.put(minted.username(), minted.token()));
    }
    return tokens;
  }
}
