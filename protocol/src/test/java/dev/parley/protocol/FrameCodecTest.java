package dev.parley.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
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
  void decodesEveryRoomAndConversationFrame() throws Exception {
    assertThat(codec.decodeClient("{\"type\":\"create_room\",\"id\":\"c\",\"name\":\"实验室\",\"members\":[\"bob\"],\"open\":true}"))
        .isEqualTo(new ClientFrame.CreateRoom("c", "实验室", List.of("bob"), true));
    assertThat(codec.decodeClient("{\"type\":\"create_room\",\"name\":\"x\"}"))
        .isEqualTo(new ClientFrame.CreateRoom(null, "x", List.of(), null))
        .satisfies(f -> assertThat(((ClientFrame.CreateRoom) f).isOpen()).isFalse());
    assertThat(codec.decodeClient("{\"type\":\"add_members\",\"room\":\"r1\",\"users\":[\"a\",\"b\"]}"))
        .isEqualTo(new ClientFrame.AddMembers(null, "r1", List.of("a", "b")));
    assertThat(codec.decodeClient("{\"type\":\"remove_member\",\"room\":\"r1\",\"user\":\"a\"}"))
        .isEqualTo(new ClientFrame.RemoveMember(null, "r1", "a"));
    assertThat(codec.decodeClient("{\"type\":\"leave\",\"room\":\"r1\"}")).isEqualTo(new ClientFrame.Leave(null, "r1"));
    assertThat(codec.decodeClient("{\"type\":\"join\",\"room\":\"r1\"}")).isEqualTo(new ClientFrame.Join(null, "r1"));
    assertThat(codec.decodeClient("{\"type\":\"rename_room\",\"room\":\"r1\",\"name\":\"n\"}"))
        .isEqualTo(new ClientFrame.RenameRoom(null, "r1", "n"));
    assertThat(codec.decodeClient("{\"type\":\"room\",\"room\":\"r1\"}")).isEqualTo(new ClientFrame.Room(null, "r1"));
    assertThat(codec.decodeClient("{\"type\":\"rooms\",\"id\":\"q\"}")).isEqualTo(new ClientFrame.Rooms("q"));
    assertThat(codec.decodeClient("{\"type\":\"room_directory\"}")).isEqualTo(new ClientFrame.RoomDirectory(null));
    assertThat(codec.decodeClient("{\"type\":\"send\",\"id\":\"m\",\"room\":\"r1\",\"text\":\"hi\"}"))
        .isEqualTo(ClientFrame.Send.toRoom("m", "r1", "hi"));
    assertThat(codec.decodeClient("{\"type\":\"history\",\"room\":\"r1\",\"before\":9}"))
        .isEqualTo(new ClientFrame.History(null, null, "r1", 9L, null));
    assertThat(codec.decodeClient("{\"type\":\"read\",\"room\":\"r1\",\"seq\":12}"))
        .isEqualTo(new ClientFrame.Read(null, "r1", null, 12L));
    assertThat(codec.decodeClient("{\"type\":\"read\",\"with\":\"bob\",\"seq\":12}"))
        .isEqualTo(new ClientFrame.Read(null, null, "bob", 12L));
    assertThat(codec.decodeClient("{\"type\":\"conversations\"}")).isEqualTo(new ClientFrame.Conversations(null));
    assertThat(codec.decodeClient("{\"type\":\"typing\",\"room\":\"r1\"}")).isEqualTo(new ClientFrame.Typing(null, "r1", null));
    assertThat(codec.decodeClient("{\"type\":\"typing\",\"to\":\"bob\"}")).isEqualTo(new ClientFrame.Typing(null, null, "bob"));
  }

  @Test
  void encodesRoomFramesWithTheirWireNames() throws Exception {
    ServerFrame room = new ServerFrame.Room("c", new ServerFrame.RoomInfo("r1", "实验室", false,
        List.of(new ServerFrame.Member("alice", RoomRole.OWNER), new ServerFrame.Member("bob", RoomRole.MEMBER))));
    assertThat(codec.encodeToString(room)).isEqualTo("{\"type\":\"room\",\"id\":\"c\",\"room\":{\"room\":\"r1\","
        + "\"name\":\"实验室\",\"open\":false,\"members\":[{\"username\":\"alice\",\"role\":\"owner\"},"
        + "{\"username\":\"bob\",\"role\":\"member\"}]}}");
    ServerFrame event = new ServerFrame.Message(5, "r1", "alice", null, null, null,
        new ServerFrame.Event(EventKind.ADDED, "bob", null), 99);
    assertThat(codec.encodeToString(event)).isEqualTo("{\"type\":\"message\",\"seq\":5,\"room\":\"r1\",\"from\":\"alice\","
        + "\"event\":{\"kind\":\"added\",\"user\":\"bob\"},\"ts\":99}");
    ServerFrame text = new ServerFrame.Message(6, "r1", "bob", null, "hi", null, null, 100);
    assertThat(codec.encodeToString(text))
        .isEqualTo("{\"type\":\"message\",\"seq\":6,\"room\":\"r1\",\"from\":\"bob\",\"text\":\"hi\",\"ts\":100}");
    assertThat(codec.encodeToString(new ServerFrame.Read(null, "r1", null, 6)))
        .isEqualTo("{\"type\":\"read\",\"room\":\"r1\",\"seq\":6}");
    assertThat(codec.encodeToString(new ServerFrame.Typing("r1", "bob")))
        .isEqualTo("{\"type\":\"typing\",\"room\":\"r1\",\"from\":\"bob\"}");
    assertThat(codec.encodeToString(new ServerFrame.Left("l", "r1"))).isEqualTo("{\"type\":\"left\",\"id\":\"l\",\"room\":\"r1\"}");
    assertThat(codec.encodeToString(new ServerFrame.User("carol", false)))
        .isEqualTo("{\"type\":\"user\",\"username\":\"carol\",\"online\":false}");
    assertThat(codec.encodeToString(new ServerFrame.Error("x", ErrorCode.FORBIDDEN, "only owners and admins may do that", null)))
        .contains("\"code\":\"forbidden\"");
    List<ServerFrame> frames = List.of(room, event, text,
        new ServerFrame.Rooms("q", List.of(new ServerFrame.RoomSummary("r1", "n", true, RoomRole.ADMIN, 3, 2, 6))),
        new ServerFrame.RoomDirectory(null, List.of(new ServerFrame.DirectoryEntry("r1", "n", 3))),
        new ServerFrame.Conversations("c", List.of(
            new ServerFrame.Conversation("r1", null, "n", 1, 6, (ServerFrame.Message) text),
            new ServerFrame.Conversation(null, "bob", null, 0, 4, new ServerFrame.Message(4, "bob", "alice", "yo", 50)))),
        new ServerFrame.History("h", null, "r1", List.of((ServerFrame.Message) event)),
        new ServerFrame.Typing("r1", "bob"), new ServerFrame.Typing(null, "bob"), new ServerFrame.User("carol", true),
        new ServerFrame.Read("r", null, "bob", 4), new ServerFrame.Left("l", "r1"));
    for (ServerFrame frame : frames) {
      assertThat(codec.decodeServer(codec.encodeToString(frame))).isEqualTo(frame);
    }
  }

  @Test
  void decodesSearchEditDeleteAndNotifyFrames() throws Exception {
    assertThat(codec.decodeClient("{\"type\":\"search\",\"id\":\"s1\",\"q\":\"报告\"}"))
        .isEqualTo(new ClientFrame.Search("s1", "报告"));
    assertThat(codec.decodeClient("{\"type\":\"search\",\"id\":\"s2\",\"q\":\"x\",\"room\":\"R\",\"before\":123,\"limit\":20}"))
        .isEqualTo(new ClientFrame.Search("s2", "x", "R", null, 123L, 20));
    assertThat(codec.decodeClient("{\"type\":\"search\",\"q\":\"x\",\"with\":\"bob\"}"))
        .isEqualTo(new ClientFrame.Search(null, "x", null, "bob", null, null));
    assertThat(codec.decodeClient("{\"type\":\"edit\",\"id\":\"e1\",\"seq\":41,\"text\":\"new text\"}"))
        .isEqualTo(new ClientFrame.Edit("e1", 41L, "new text"));
    assertThat(codec.decodeClient("{\"type\":\"delete\",\"id\":\"d1\",\"seq\":41}"))
        .isEqualTo(new ClientFrame.Delete("d1", 41L));
    assertThat(codec.decodeClient("{\"type\":\"notify\",\"id\":\"n1\",\"room\":\"R\",\"level\":\"mentions\"}"))
        .isEqualTo(new ClientFrame.Notify("n1", "R", null, NotifyLevel.MENTIONS));
    assertThat(codec.decodeClient("{\"type\":\"notify\",\"with\":\"bob\",\"level\":\"none\"}"))
        .isEqualTo(new ClientFrame.Notify(null, null, "bob", NotifyLevel.NONE));
    ClientFrame search = new ClientFrame.Search("s", "报告", "R", null, 9L, 5);
    assertThat(codec.encodeToString(search))
        .isEqualTo("{\"type\":\"search\",\"id\":\"s\",\"q\":\"报告\",\"room\":\"R\",\"before\":9,\"limit\":5}");
    assertThat(codec.encodeToString(new ClientFrame.Notify("n", null, "bob", NotifyLevel.ALL)))
        .isEqualTo("{\"type\":\"notify\",\"id\":\"n\",\"with\":\"bob\",\"level\":\"all\"}");
    for (ClientFrame frame : List.of(search, new ClientFrame.Edit("e", 4L, "x"), new ClientFrame.Delete("d", 4L),
        new ClientFrame.Notify("n", "R", null, NotifyLevel.NONE))) {
      assertThat(codec.decodeClient(codec.encodeToString(frame))).isEqualTo(frame);
    }
  }

  @Test
  void encodesEditDeleteEntriesAndCurrentStateWithTheContractsFieldNames() throws Exception {
    ServerFrame edit = new ServerFrame.Message(77, "R", "alice", null, null, 41L, null, "new text", null, null, null, null, null, 5);
    assertThat(codec.encodeToString(edit))
        .isEqualTo("{\"type\":\"message\",\"seq\":77,\"room\":\"R\",\"from\":\"alice\",\"edits\":41,\"text\":\"new text\",\"ts\":5}");
    ServerFrame delete = new ServerFrame.Message(78, null, "alice", null, "bob", null, 41L, null, null, null, null, null, null, 6);
    assertThat(codec.encodeToString(delete))
        .isEqualTo("{\"type\":\"message\",\"seq\":78,\"from\":\"alice\",\"to\":\"bob\",\"deletes\":41,\"ts\":6}");
    ServerFrame edited = new ServerFrame.Message(41, "R", "alice", null, null, null, null, "new text", null, null, true, null,
        List.of("bob", "张三"), 4);
    assertThat(codec.encodeToString(edited)).isEqualTo("{\"type\":\"message\",\"seq\":41,\"room\":\"R\",\"from\":\"alice\","
        + "\"text\":\"new text\",\"edited\":true,\"mentions\":[\"bob\",\"张三\"],\"ts\":4}");
    ServerFrame deleted = new ServerFrame.Message(42, "R", "alice", null, null, null, null, null, null, null, null, true, null, 4);
    assertThat(codec.encodeToString(deleted))
        .isEqualTo("{\"type\":\"message\",\"seq\":42,\"room\":\"R\",\"from\":\"alice\",\"deleted\":true,\"ts\":4}");
    assertThat(new ServerFrame.Message(1, "R", "a", null, null, null, null, "x", null, null, null, null, List.of(), 1).mentions())
        .as("no mentions is absent, not an empty list").isNull();
    assertThat(((ServerFrame.Message) edit).isEntry()).isTrue();
    assertThat(((ServerFrame.Message) edited).isEntry()).isFalse();
    ServerFrame conversations = new ServerFrame.Conversations("c", List.of(
        new ServerFrame.Conversation("R", null, "n", 2, 41, (ServerFrame.Message) edited, 1L, NotifyLevel.MENTIONS),
        new ServerFrame.Conversation(null, "bob", null, 0, 40, null, null, NotifyLevel.ALL)));
    assertThat(codec.encodeToString(conversations)).contains("\"mentions\":1,\"notify\":\"mentions\"}")
        .contains("{\"with\":\"bob\",\"unread\":0,\"lastSeq\":40,\"notify\":\"all\"}");
    ServerFrame search = new ServerFrame.Search("s1", "报告", List.of((ServerFrame.Message) edited, (ServerFrame.Message) deleted));
    assertThat(codec.encodeToString(search)).startsWith("{\"type\":\"search\",\"id\":\"s1\",\"q\":\"报告\",\"messages\":[{\"type\":\"message\",");
    ServerFrame notify = new ServerFrame.Notify(null, "R", null, NotifyLevel.NONE);
    assertThat(codec.encodeToString(notify)).isEqualTo("{\"type\":\"notify\",\"room\":\"R\",\"level\":\"none\"}");
    for (ServerFrame frame : List.of(edit, delete, edited, deleted, conversations, search, notify)) {
      assertThat(codec.decodeServer(codec.encodeToString(frame))).isEqualTo(frame);
    }
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
        "{\"type\":\"send\",\"id\":\"1\",\"text\":\"x\"}                 | missing field 'to' or 'room'",
        "{\"type\":\"send\",\"id\":\"1\",\"to\":\"a\",\"room\":\"r\",\"text\":\"x\"} | give 'to' or 'room', not both",
        "{\"type\":\"history\",\"with\":\"a\",\"room\":\"r\"}           | give 'with' or 'room', not both",
        "{\"type\":\"read\",\"room\":\"r\"}                             | missing field 'seq'",
        "{\"type\":\"read\",\"seq\":3}                                  | missing field 'room' or 'with'",
        "{\"type\":\"typing\"}                                          | missing field 'room' or 'to'",
        "{\"type\":\"create_room\",\"members\":[\"a\"]}                  | missing field 'name'",
        "{\"type\":\"create_room\",\"name\":\"n\",\"members\":[null]}     | field 'members' must hold only strings",
        "{\"type\":\"create_room\",\"name\":\"n\",\"open\":\"yes\"}       | field 'open' must be a boolean",
        "{\"type\":\"add_members\",\"room\":\"r\"}                       | missing field 'users'",
        "{\"type\":\"remove_member\",\"room\":\"r\"}                     | missing field 'user'",
        "{\"type\":\"leave\"}                                           | missing field 'room'",
        "{\"type\":\"join\",\"room\":7}                                 | field 'room' must be a string",
        "{\"type\":\"rename_room\",\"room\":\"r\"}                       | missing field 'name'",
        "{\"type\":\"search\",\"id\":\"s\"}                             | missing field 'q'",
        "{\"type\":\"search\",\"q\":\"x\",\"room\":\"r\",\"with\":\"a\"}   | give 'room' or 'with', not both",
        "{\"type\":\"search\",\"q\":\"x\",\"before\":\"9\"}                | field 'before' must be an integer",
        "{\"type\":\"edit\",\"seq\":4,\"text\":\"x\"}                    | missing field 'id'",
        "{\"type\":\"edit\",\"id\":\"e\",\"text\":\"x\"}                 | missing field 'seq'",
        "{\"type\":\"edit\",\"id\":\"e\",\"seq\":4}                     | missing field 'text'",
        "{\"type\":\"delete\",\"id\":\"d\"}                             | missing field 'seq'",
        "{\"type\":\"delete\",\"id\":\"d\",\"seq\":\"4\"}                | field 'seq' must be an integer",
        "{\"type\":\"notify\",\"room\":\"r\"}                          | missing field 'level'",
        "{\"type\":\"notify\",\"level\":\"all\"}                       | missing field 'room' or 'with'",
        "{\"type\":\"notify\",\"room\":\"r\",\"level\":\"loud\"}         | field 'level' must be one of all, mentions, none",
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

  /**
   * {@code message} and {@code ack} are written field by field for speed; what they write must be
   * the data-binding writer's bytes for the same frame, every optional field present or absent.
   */
  @Test
  void streamedMessagesAndAcksAreByteForByteTheDataBindingEncoding() throws Exception {
    String awkward = "\"引号\" \\ back\nslash \t\u0001\u001f </script> 😀 \u2028";
    List<ServerFrame> frames = List.of(
        new ServerFrame.Ack("m1", 58, 1_795_482_903_781L),
        new ServerFrame.Ack(null, 0, 0),
        new ServerFrame.Message(59, "alice", "张三", "你好，张三！😀", 1_795_482_905_114L),
        new ServerFrame.Message(60, "r1", "alice", null, awkward, null, null, 7),
        new ServerFrame.Message(61, "r1", "alice", null, null, null, new ServerFrame.Event(EventKind.ADDED, "bob", null), 8),
        new ServerFrame.Message(62, "r1", "alice", null, null, null, new ServerFrame.Event(EventKind.RENAMED, null, "实验室"), 9),
        new ServerFrame.Message(63, "r1", "alice", null, null, null, new ServerFrame.Event(null, null, null), 9),
        new ServerFrame.Message(64, "alice", "bob", null,
            new ServerFrame.FileRef("f1", "报告 2026.pdf", 300_000, "9f2c", "application/pdf"), 10),
        new ServerFrame.Message(65, "alice", "bob", null, new ServerFrame.FileRef(null, null, 0, null, null, true), 11),
        new ServerFrame.Message(66, "r1", "alice", true, null, 41L, null, "edited text", null, null, null, null, null, 12),
        new ServerFrame.Message(67, "r1", "alice", null, null, null, 41L, null, null, null, null, null, null, 13),
        new ServerFrame.Message(41, "r1", "alice", false, null, null, null, null, null, null, true, true, List.of(), 14),
        new ServerFrame.Message(68, "r1", "alice", null, null, null, null, "@bob @李雷", null, null, null, null,
            List.of("bob", "李雷"), 15),
        new ServerFrame.Message(Long.MAX_VALUE, null, null, null, null, null, null, null, null, null, null, null, null, -1),
        new ServerFrame.Message(69, "alice", "bob", "字".repeat(5000) + awkward, 16));
    for (ServerFrame frame : frames) {
      byte[] bound = codec.mapper().writerFor(ServerFrame.class).writeValueAsBytes(frame);
      assertThat(new String(codec.encode(frame), UTF_8)).isEqualTo(new String(bound, UTF_8));
      assertThat(codec.encodeLine(frame)).isEqualTo((new String(bound, UTF_8) + "\n").getBytes(UTF_8));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      codec.encode(frame, out);
      assertThat(out.toByteArray()).isEqualTo(bound);
      assertThat(codec.decodeServer(codec.encodeToString(frame))).isEqualTo(frame);
    }
  }

  @Test
  void aLineOfAnyOtherFrameIsItsJsonAndALineFeed() {
    ServerFrame welcome = new ServerFrame.Welcome("w", "张三", null);
    assertThat(new String(codec.encodeLine(welcome), UTF_8)).isEqualTo(codec.encodeToString(welcome) + "\n");
  }
}
