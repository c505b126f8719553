package dev.parley.server.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.parley.server.testing.CapturedLog;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code max-connections-per-address}: one client address past it is refused with
 * {@code too_many_connections}, other addresses and trusted proxies are not. Clients bind to distinct loopback
 * addresses (127.0.0.2, 127.0.0.3) to be distinct hosts.
 */
class AddressLimitTest {
  private static final int MAX = 2;

  @RegisterExtension final CapturedLog log = new CapturedLog(AddressLimit.class);

  @Test
  void anAddressPastItsLimitIsRefusedOnBothPortsLoggedOnceAndOtherAddressesAreNot() throws Exception {
    try (TestServer server = TestServer.start(Map.of(
            "max-connections-per-address", MAX, "auth-timeout-seconds", 60, "header-timeout-seconds", 60));
        Socket first = connect("127.0.0.2", server.tcpPort());
        Socket second = connect("127.0.0.2", server.httpPort())) {
      assertThat(pong(first)).isTrue();
      // The kernel completes a connect before the server accepts it: until both are counted, the
      // third connection below could be the one counted second, and the idle HTTP one refused.
      Http metrics = new Http(server.admin());
      await().atMost(Duration.ofSeconds(10))
          .until(() -> metrics.get("/metrics", null).raw().body().contains("parley_connections_open 2.0"));

      for (int i = 0; i < 3; i++) {
        String refused = refusedTcpLine(server);
        assertThat(refused)
            .contains("\"code\":\"too_many_connections\"")
            .contains("too many connections from your address (2)");
      }
      String http = refusedHttp(server);
      assertThat(http).startsWith("http/1.1 429").contains("retry-after: 5").contains("connection: close")
          .contains("\"code\":\"too_many_connections\"");

      try (Socket other = connect("127.0.0.3", server.tcpPort());
          Socket another = connect("127.0.0.3", server.tcpPort())) {
        assertThat(pong(other)).isTrue();
        assertThat(pong(another)).isTrue();
      }
      assertThat(pong(first)).as("the open connections carry on").isTrue();

      second.close();
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
        try (Socket again = connect("127.0.0.2", server.tcpPort())) {
          assertThat(pong(again)).isTrue();
        }
      });

      assertThat(log.messages(Level.WARN)).containsExactly(
          "max-connections-per-address (2) reached by 127.0.0.2: refusing its new connections until some close");
      assertThat(log.messages(Level.INFO)).contains("127.0.0.2 is below max-connections-per-address (2) again");
    }
  }

  @Test
  void peersListedAsTrustedProxiesAreNotLimitedPerAddress() throws Exception {
    try (TestServer server = TestServer.start(Map.of(
            "max-connections-per-address", 1, "trusted-proxies", "127.0.0.2", "auth-timeout-seconds", 60));
        Socket proxied1 = connect("127.0.0.2", server.tcpPort());
        Socket proxied2 = connect("127.0.0.2", server.tcpPort());
        Socket proxied3 = connect("127.0.0.2", server.tcpPort());
        Socket direct = connect("127.0.0.3", server.tcpPort())) {
      assertThat(pong(proxied1)).isTrue();
      assertThat(pong(proxied2)).isTrue();
      assertThat(pong(proxied3)).isTrue();
      assertThat(pong(direct)).isTrue();

      try (Socket secondDirect = connect("127.0.0.3", server.tcpPort())) {
        String refused = new BufferedReader(new InputStreamReader(secondDirect.getInputStream(), UTF_8)).readLine();
        assertThat(refused).as("other addresses are still limited").contains("\"code\":\"too_many_connections\"");
      }
      assertThat(log.messages(Level.WARN)).containsExactly(
          "max-connections-per-address (1) reached by 127.0.0.3: refusing its new connections until some close");
    }
  }

  private static Socket connect(String from, int port) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(from, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** Whether a ping on a TCP connection gets its pong. */
  private static boolean pong(Socket socket) throws IOException {
    socket.getOutputStream().write("{\"type\":\"ping\",\"id\":\"p\"}\n".getBytes(UTF_8));
    String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8)).readLine();
    return "{\"type\":\"pong\",\"id\":\"p\"}".equals(line);
  }

  /** What the server answers a third TCP connection from 127.0.0.2 before it closes. */
  private static String refusedTcpLine(TestServer server) throws IOException {
    try (Socket socket = connect("127.0.0.2", server.tcpPort())) {
      socket.getOutputStream().write("{\"type\":\"auth\",\"token\":\"whatever\"}\n".getBytes(UTF_8));
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
      String line = in.readLine();
      assertThat(in.readLine()).as("the server closes after its one line").isNull();
      return line;
    }
  }

  /** The whole HTTP exchange of a third connection from 127.0.0.2, lower-cased. */
  private static String refusedHttp(TestServer server) throws IOException {
    try (Socket socket = connect("127.0.0.2", server.httpPort())) {
      socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(UTF_8));
      return new String(socket.getInputStream().readAllBytes(), UTF_8).toLowerCase(Locale.ROOT);
    }
  }
}
