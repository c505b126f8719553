package dev.parley.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrameCodecTest {
  private final FrameCodec codec = new FrameCodec();

  @Test
  void decodesEveryClientFrameType() throws Exception {
    assertThat(codec.decodeClient("{\"type\":\"register\",\"username\":\"张三\",\"password\":\"pw123456\"}"))
        .isEqualTo(new ClientFrame.Register(null, "张三", "pw123456"));
    assertThat(codec.decodeClient("{\"type\":\"login\",\"id\":\"1\",\"username\":\"a\",\"password\":\"b\",\"since\":7}"))
        .isEqualTo(new ClientFrame.Login("1", "a", "b", 7L));
    assertThat(codec.decodeClient("{\"type\":\"auth\",\"token\":\"t\"}"))
        .isEqualTo(new ClientFrame.Auth(null, "t", null));
    assertThat(codec.decodeClient("{\"type\":\"send\",\"id\":\"m1\",\"to\":\"bob\",\"text\":\"你好\"}"))
        .isEqualTo(new ClientFrame.Send("m1", "bob", "你好"));
    assertThat(codec.decodeClient("{\"type\":\"users\",\"online\":true,\"prefix\":\"a\",\"limit\":5}"))
        .isEqualTo(new ClientFrame.Users(null, true, "a", 5));
    assertThat(codec.decodeClient("{\"type\":\"watch\",\"users\":[\"a\",\"b\"]}"))
        .isEqualTo(new ClientFrame.Watch(null, List.of("a", "b")));
    assertThat(codec.decodeClient("{\"type\":\"history\",\"with\":\"bob\",\"before\":9,\"limit\":2}"))
        .isEqualTo(new ClientFrame.History(null, "bob", 9L, 2));
    assertThat(codec.decodeClient("{\"type\":\"logout\"}")).isEqualTo(new ClientFrame.Logout(null));
    assertThat(codec.decodeClient("{\"type\":\"ping\",\"id\":\"p\"}")).isEqualTo(new ClientFrame.Ping("p"));
  }

  @Test
  void ignoresUnknownFieldsForForwardCompatibility() throws Exception {
    assertThat(codec.decodeClient("{\"type\":\"ping\",\"id\":\"p\",\"extra\":{\"x\":1}}"))
        .isEqualTo(new ClientFrame.Ping("p"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"type\":\"send\",\"id\":\"1\",\"to\":\"bob\"}                | missing field 'text'",
        "{\"type\":\"send\",\"id\":\"1\",\"to\":5,\"text\":\"x\"}       | field 'to' must be a string",
        "{\"type\":\"users\",\"limit\":\"5\"}                           | field 'limit' must be an integer",
        "{\"type\":\"users\",\"limit\":2.5}                             | field 'limit' must be an integer",
        "{\"type\":\"users\",\"online\":\"yes\"}                        | field 'online' must be a boolean",
        "{\"type\":\"watch\",\"users\":\"bob\"}                         | field 'users' must be an array",
        "{\"type\":\"fly\"}                                             | unknown frame type 'fly'",
        "{\"text\":\"hi\"}                                              | missing field 'type'",
        "[1,2]                                                          | a frame must be exactly one JSON object",
        "\"hello\"                                                      | a frame must be exactly one JSON object",
        "{\"type\":\"ping\"} {\"type\":\"ping\"}                        | a frame must be exactly one JSON object",
        "{\"type\":\"ping\",\"type\":\"ping\"}                          | malformed JSON: Duplicate field 'type'",
      })
  void rejectsMalformedFramesWithAPreciseMessage(String json, String message) {
    assertThatThrownBy(() -> codec.decodeClient(json.strip()))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessageStartingWith(message.strip());
  }

  @Test
  void rejectsBrokenJsonAndDeepNesting() {
    assertThatThrownBy(() -> codec.decodeClient("{\"type\":\"ping\""))
        .hasMessage("malformed JSON: Unexpected end-of-input: expected close marker for Object");
    assertThatThrownBy(() -> codec.decodeClient("not json")).hasMessageStartingWith("malformed JSON");
    assertThatThrownBy(() -> codec.decodeClient("")).hasMessage("empty frame");
    String deep = "{\"type\":\"ping\",\"x\":" + "[".repeat(40) + "]".repeat(40) + "}";
    assertThatThrownBy(() -> codec.decodeClient(deep)).hasMessage("frame nests too deeply");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "overlong slash C0 AF,              C0AF",
    "overlong less-than C0 BC,          C0BC",
    "overlong NUL C0 80,                C080",
    "three-byte overlong slash E0 80 AF, E080AF",
    "lone continuation byte 80,         80",
    "encoded surrogate ED A0 80,        EDA080",
    "truncated sequence E4 BD,          E4BD",
    "beyond U+10FFFF F4 90 80 80,       F4908080",
    "never valid FF,                    FF",
  })
  void rejectsInvalidUtf8InsideAString(String name, String hex) {
    byte[] frame = concat("{\"type\":\"send\",\"id\":\"m1\",\"to\":\"bob\",\"text\":\"", HexFormat.of().parseHex(hex), "\"}");
    assertThatThrownBy(() -> codec.decodeClient(frame, 0, frame.length))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessage("malformed JSON: invalid UTF-8 at byte 44");
  }

  @Test
  void acceptsWellFormedMultiByteUtf8() throws Exception {
    byte[] frame = concat("{\"type\":\"send\",\"id\":\"m1\",\"to\":\"bob\",\"text\":\"", "é张😀".getBytes(UTF_8), "\"}");
    assertThat(codec.decodeClient(frame, 0, frame.length)).isEqualTo(new ClientFrame.Send("m1", "bob", "é张😀"));
  }

  @Test
  void reportsAnOverlongNumberAsSuchNotAsNesting() {
    String digits = "9".repeat(1001);
    assertThatThrownBy(() -> codec.decodeClient("{\"type\":\"users\",\"limit\":" + digits + "}"))
        .hasMessage("a number has more than 1000 digits");
    assertThatThrownBy(() -> codec.decodeClient("{\"type\":\"ping\",\"x\":-" + digits + ".5}"))
        .hasMessage("a number has more than 1000 digits");
  }

  private static byte[] concat(String before, byte[] middle, String after) {
    byte[] head = before.getBytes(UTF_8);
    byte[] tail = after.getBytes(UTF_8);
    byte[] all = Arrays.copyOf(head, head.length + middle.length + tail.length);
    System.arraycopy(middle, 0, all, head.length, middle.length);
    System.arraycopy(tail, 0, all, head.length + middle.length, tail.length);
    return all;
  }

  @Test
  void echoesTheRequestIdOfAFrameThatFailedValidation() {
    assertThatThrownBy(() -> codec.decodeClient("{\"type\":\"send\",\"id\":\"m7\",\"to\":\"bob\"}"))
        .isInstanceOfSatisfying(MalformedFrameException.class, e -> assertThat(e.requestId()).isEqualTo("m7"));
  }

  @Test
  void serverFramesRoundTripWithTypeAndWithoutNullFields() throws Exception {
    ServerFrame welcome = new ServerFrame.Welcome(null, "张三", null);
    assertThat(codec.encodeToString(welcome)).isEqualTo("{\"type\":\"welcome\",\"username\":\"张三\"}");
    ServerFrame error = new ServerFrame.Error("x", ErrorCode.TOO_LARGE, "frame over 65536 bytes", null);
    assertThat(codec.encodeToString(error))
        .isEqualTo("{\"type\":\"error\",\"id\":\"x\",\"code\":\"too_large\",\"message\":\"frame over 65536 bytes\"}");
    ServerFrame message = new ServerFrame.Message(3, "a", "b", "<img src=x onerror=alert(1)> 😀", 99);
    assertThat(codec.decodeServer(codec.encodeToString(message))).isEqualTo(message);
  }
}
