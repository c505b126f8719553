package dev.parley.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.protocol.ByeReason;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.LineClient;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.RawWebSocket;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import dev.parley.server.testing.WsClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input is answered with a precise error frame, and the connection lives on. */
@ParleyServerTest
class MalformedInputTest {
  private static TestServer server;
  private static String token;

  @BeforeAll
  static void logInMallory(TestServer testServer, TestUsers users) {
    server = testServer;
    token = users.create("mallory").token();
  }

  static Stream<Arguments> badFrames() {
    return Stream.of(
            new String[] {"{\"type\":\"send\",\"id\":\"1\",\"to\":\"bob\"", "bad_request", "malformed JSON: Unexpected end-of-input: expected close marker for Object"},
            new String[] {"not json at all", "bad_request", "malformed JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"},
            new String[] {"[1,2,3]", "bad_request", "a frame must be exactly one JSON object"},
            new String[] {"{\"type\":\"ping\"}{\"type\":\"ping\"}", "bad_request", "a frame must be exactly one JSON object"},
            new String[] {"{\"type\":\"teleport\",\"id\":\"t\"}", "bad_request", "unknown frame type 'teleport'"},
            new String[] {"{\"id\":\"no-type\"}", "bad_request", "missing field 'type'"},
            new String[] {"{\"type\":\"send\",\"id\":\"s\",\"to\":42,\"text\":\"x\"}", "bad_request", "field 'to' must be a string"},
            new String[] {"{\"type\":\"send\",\"id\":\"s\",\"to\":\"bob\"}", "bad_request", "missing field 'text'"},
            new String[] {"{\"type\":\"history\",\"with\":\"bob\",\"limit\":\"ten\"}", "bad_request", "field 'limit' must be an integer"},
            new String[] {"{\"type\":\"watch\",\"users\":{\"a\":1}}", "bad_request", "field 'users' must be an array"},
            new String[] {"{\"type\":\"watch\",\"users\":[\"a\",null]}", "bad_request", "field 'users' must hold only strings"},
            new String[] {"{\"type\":\"send\",\"id\":\"s\",\"to\":\"bob\",\"text\":\"\\ud800\"}", "bad_request", "text has an unpaired surrogate"},
            new String[] {"{\"type\":\"users\",\"limit\":" + "9".repeat(1001) + "}", "bad_request", "a number has more than 1000 digits"})
        .flatMap(c -> Stream.of(Transport.values()).map(t -> Arguments.of(t, c[0], c[1], c[2])));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("badFrames")
  void badFrameGetsAnErrorAndTheConnectionLivesOn(Transport transport, String frame, String code, String message) {
    try (FrameClient client = transport.connect(server, token, null)) {
      client.sendText(frame);
      ServerFrame.Error error = client.next(ServerFrame.Error.class);
      assertThat(error.code().wireName()).isEqualTo(code);
      assertThat(error.message()).isEqualTo(message);
      assertPingPong(client);
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anErrorEchoesTheRequestIdWhenItCanBeRead(Transport transport) {
    try (FrameClient client = transport.connect(server, token, null)) {
      client.sendText("{\"type\":\"send\",\"id\":\"mine-7\",\"to\":\"bob\"}");
      assertThat(client.next(ServerFrame.Error.class).id()).isEqualTo("mine-7");
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void framesThatNeedAuthenticationAreRefusedBeforeIt(Transport transport) {
    try (FrameClient client = transport.connect(server)) {
      for (ClientFrame frame :
          new ClientFrame[] {
            new ClientFrame.Send("s", "bob", "hi"),
            new ClientFrame.Users("u", null, null, null),
            new ClientFrame.Watch("w", List.of("bob")),
            new ClientFrame.History("h", "bob", null, null),
            new ClientFrame.Logout("l"),
          }) {
        client.send(frame);
        assertThat(client.next(ServerFrame.Error.class))
            .isEqualTo(new ServerFrame.Error(frame.id(), ErrorCode.UNAUTHORIZED, "log in or authenticate first", null));
      }
      assertPingPong(client);
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aBadTokenIsUnauthorizedAndTheConnectionCanStillLogIn(Transport transport) {
    try (FrameClient client = transport.connect(server)) {
      client.send(new ClientFrame.Auth("a", "not-a-token", null));
      assertThat(client.next(ServerFrame.Error.class))
          .isEqualTo(new ServerFrame.Error("a", ErrorCode.UNAUTHORIZED, "unknown or expired token", null));
      assertThat(client.auth(token, null).username()).isEqualTo("mallory");
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void authenticatingTwiceIsABadRequest(Transport transport) {
    try (FrameClient client = transport.connect(server, token, null)) {
      client.send(new ClientFrame.Auth("again", token, null));
      assertThat(client.next(ServerFrame.Error.class))
          .isEqualTo(new ServerFrame.Error("again", ErrorCode.BAD_REQUEST, "this connection is already authenticated or authenticating", null));
      assertPingPong(client);
    }
  }

  @Test
  void aTcpLineOverTheLimitIsTooLargeAndCloses() {
    try (LineClient client = LineClient.connect(server.tcpPort())) {
      client.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
      assertThat(client.next(ServerFrame.Error.class))
          .isEqualTo(new ServerFrame.Error(null, ErrorCode.TOO_LARGE, "frame over 65536 bytes", null));
      assertThat(client.next(ServerFrame.Bye.class).reason()).isEqualTo(ByeReason.TOO_LARGE);
      client.awaitClosed();
    }
  }

  @Test
  void aLineJustUnderTheLimitIsAccepted() {
    try (LineClient client = LineClient.connect(server.tcpPort())) {
      String prefix = "{\"type\":\"ping\",\"id\":\"big\",\"pad\":\"";
      String frame = prefix + "x".repeat(65_536 - prefix.length() - 2) + "\"}";
      assertThat(frame.getBytes(StandardCharsets.UTF_8)).hasSize(65_536);
      client.sendText(frame);
      assertThat(client.next()).isEqualTo(new ServerFrame.Pong("big"));
    }
  }

  @Test
  void aWebSocketMessageOverTheLimitIsTooLargeAndCloses() {
    try (WsClient client = WsClient.connect(server.webSocket())) {
      client.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
      assertThat(client.next(ServerFrame.Error.class).code()).isEqualTo(ErrorCode.TOO_LARGE);
      assertThat(client.next(ServerFrame.Bye.class).reason()).isEqualTo(ByeReason.TOO_LARGE);
      client.awaitClosed();
    }
  }

  @Test
  void aBinaryWebSocketMessageIsABadRequest() {
    try (WsClient client = WsClient.connect(server.webSocket())) {
      client.sendBinary("{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
      assertThat(client.next(ServerFrame.Error.class))
          .isEqualTo(new ServerFrame.Error(null, ErrorCode.BAD_REQUEST, "frames are JSON in text messages, not binary", null));
      assertPingPong(client);
    }
  }

  @Test
  void invalidUtf8OnTcpIsABadRequest() {
    try (LineClient client = LineClient.connect(server.tcpPort())) {
      client.sendRaw(new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});
      assertThat(client.next(ServerFrame.Error.class).code()).isEqualTo(ErrorCode.BAD_REQUEST);
      assertPingPong(client);
    }
  }

  /** {@code <} as the overlong two-byte form {@code C0 BC}, in the text of a send. */
  private static final String OVERLONG_PREFIX = "{\"type\":\"send\",\"id\":\"o1\",\"to\":\"mallory\",\"text\":\"";

  private static byte[] overlongSend() {
    byte[] prefix = OVERLONG_PREFIX.getBytes(StandardCharsets.UTF_8);
    byte[] frame = Arrays.copyOf(prefix, prefix.length + 4);
    frame[prefix.length] = (byte) 0xC0;
    frame[prefix.length + 1] = (byte) 0xBC;
    frame[prefix.length + 2] = '"';
    frame[prefix.length + 3] = '}';
    return frame;
  }

  private static final String OVERLONG_ERROR = "malformed JSON: invalid UTF-8 at byte " + OVERLONG_PREFIX.length();

  @Test
  void anOverlongUtf8FormOnTcpIsABadRequest() {
    try (LineClient client = LineClient.connect(server.tcpPort())) {
      client.sendRaw(overlongSend());
      client.sendRaw(new byte[] {'\n'});
      assertThat(client.next(ServerFrame.Error.class))
          .isEqualTo(new ServerFrame.Error(null, ErrorCode.BAD_REQUEST, OVERLONG_ERROR, null));
      assertPingPong(client);
    }
  }

  @Test
  void anOverlongUtf8FormInAWebSocketTextMessageIsABadRequest() throws Exception {
    try (RawWebSocket ws = RawWebSocket.connect(server.httpPort())) {
      ws.sendText(overlongSend());
      assertThat(ws.nextText())
          .isEqualTo("{\"type\":\"error\",\"code\":\"bad_request\",\"message\":\"" + OVERLONG_ERROR + "\"}");
    }
  }

  @Test
  void anOverlongUtf8FormInAnHttpBodyIsABadRequest() throws Exception {
    byte[] body = ("{\"to\":\"mallory\",\"text\":\"" + "\u0000\u0000\"}").getBytes(StandardCharsets.UTF_8);
    int at = body.length - 4;
    body[at] = (byte) 0xC0;
    body[at + 1] = (byte) 0x80;
    HttpResponse<String> reply = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(server.http().resolve("/api/v1/messages"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(reply.statusCode()).isEqualTo(400);
    JsonNode error = new ObjectMapper().readTree(reply.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("bad_request");
    assertThat(error.path("message").asText()).isEqualTo("malformed JSON: invalid UTF-8 at byte " + at);
  }

  @Test
  void anEmptyWebSocketTextMessageIsAnEmptyFrame() {
    try (WsClient client = WsClient.connect(server.webSocket())) {
      client.sendText("");
      assertThat(client.next(ServerFrame.Error.class))
          .isEqualTo(new ServerFrame.Error(null, ErrorCode.BAD_REQUEST, "empty frame", null));
      client.sendText(" \t ");
      assertThat(client.next(ServerFrame.Error.class))
          .isEqualTo(new ServerFrame.Error(null, ErrorCode.BAD_REQUEST, "empty frame", null));
      assertPingPong(client);
    }
  }

  @Test
  void blankLinesAreIgnoredAndCrLfIsAccepted() {
    try (LineClient client = LineClient.connect(server.tcpPort())) {
      client.sendRaw("\n  \r\n{\"type\":\"ping\",\"id\":\"crlf\"}\r\n".getBytes(StandardCharsets.UTF_8));
      assertThat(client.next()).isEqualTo(new ServerFrame.Pong("crlf"));
    }
  }

  private static void assertPingPong(FrameClient client) {
    client.send(new ClientFrame.Ping("alive"));
    assertThat(client.next()).isEqualTo(new ServerFrame.Pong("alive"));
  }
}
