package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.EventKind;
import dev.parley.protocol.ServerFrame;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.jline.utils.AttributedString;
import org.jline.utils.InfoCmp.Capability;
import org.junit.jupiter.api.Test;

class ChatRendererTest {
  private static final Instant AT = Instant.parse("2026-03-01T14:03:00Z");
  private static final Clock CLOCK = Clock.fixed(AT, ZoneOffset.UTC);
  private static final ServerFrame.Message FROM_BOB = new ServerFrame.Message(7, "bob", "alice", "hi", AT.toEpochMilli());

  private static Terminal xterm() throws Exception {
    return new ExternalTerminal("test", "xterm-256color", new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
        StandardCharsets.UTF_8);
  }

  private static CliEnvironment environment(Map<String, String> variables) {
    return new CliEnvironment(variables, new ByteArrayInputStream(new byte[0]), null, Path.of("/tmp"), Path.of("/tmp"));
  }

  @Test
  void linesShowTimeAndSender() {
    ChatRenderer renderer = new ChatRenderer(false, CLOCK);
    assertThat(renderer.message(FROM_BOB, "alice").toString()).isEqualTo("14:03 <bob> hi");
    assertThat(renderer.message(FROM_BOB, "bob").toString()).isEqualTo("14:03 -> alice: hi");
    assertThat(renderer.presence(new ServerFrame.Presence("bob", true)).toString()).isEqualTo("14:03 -- bob is online");
    assertThat(renderer.presence(new ServerFrame.Presence("bob", false)).toString()).isEqualTo("14:03 -- bob went offline");
  }

  @Test
  void roomLinesStartWithTheRoomAndShowMembershipInWords() {
    ChatRenderer renderer = new ChatRenderer(false, CLOCK);
    long ts = AT.toEpochMilli();
    ServerFrame.Message said = new ServerFrame.Message(7, "r1", "bob", null, "hi", null, null, ts);
    assertThat(renderer.message(said, "alice", "#lab").toString()).isEqualTo("14:03 [#lab] <bob> hi");
    assertThat(renderer.message(said, "bob", "#lab").toString()).isEqualTo("14:03 [#lab] <bob> hi");
    assertThat(renderer.message(event("bob", EventKind.JOINED, null, null), "alice", "#lab").toString())
        .isEqualTo("14:03 [#lab] -- bob joined");
    assertThat(renderer.message(event("bob", EventKind.LEFT, null, null), "alice", "#lab").toString())
        .isEqualTo("14:03 [#lab] -- bob left");
    assertThat(renderer.message(event("alice", EventKind.ADDED, "张三", null), "alice", "#lab").toString())
        .isEqualTo("14:03 [#lab] -- alice added 张三");
    assertThat(renderer.message(event("alice", EventKind.REMOVED, "bob", null), "alice", "#lab").toString())
        .isEqualTo("14:03 [#lab] -- alice removed bob");
    assertThat(renderer.message(event("alice", EventKind.CREATED, null, "lab"), "alice", "#lab").toString())
        .isEqualTo("14:03 [#lab] -- alice created the room #lab");
    assertThat(renderer.message(event("alice", EventKind.RENAMED, null, "实验室"), "alice", "#实验室").toString())
        .isEqualTo("14:03 [#实验室] -- alice renamed the room to #实验室");
    assertThat(renderer.message(event("alice", EventKind.RENAMED, null, "\u001b[2Jx"), "bob", "#\u001b[2Jx").toString())
        .isEqualTo("14:03 [#^[[2Jx] -- alice renamed the room to #^[[2Jx");
  }

  private static ServerFrame.Message event(String from, EventKind kind, String user, String name) {
    return new ServerFrame.Message(9, "r1", from, null, null, null, new ServerFrame.Event(kind, user, name), AT.toEpochMilli());
  }

  @Test
  void aFileOfferSaysHowToFetchIt() {
    ServerFrame.Message file = new ServerFrame.Message(
        8, "bob", "alice", null, new ServerFrame.FileRef("f1", "notes.txt", 2500, "ab", null), AT.toEpochMilli());
    assertThat(new ChatRenderer(false, CLOCK).message(file, "alice").toString())
        .isEqualTo("14:03 <bob> [file notes.txt, 2.5 kB] /get f1");
  }

  @Test
  void escapeSequencesInOthersTextAreShownNotSentToTheTerminal() {
    ChatRenderer renderer = new ChatRenderer(true, CLOCK);
    ServerFrame.Message hostile = new ServerFrame.Message(
        9, "mal\u001b]0;owned\u0007", "alice", "\u001b[2Jcleared\u009b31m \u202Eevil\u2066 bell\u0007 del\u007f\rover",
        AT.toEpochMilli());
    AttributedString line = renderer.message(hostile, "alice");
    assertThat(line.toString())
        .isEqualTo("14:03 <mal^[]0;owned^G> ^[[2Jcleared\\u009B31m \\u202Eevil\\u2066 bell^G del^?^Mover");
    String sent = line.toAnsi();
    assertThat(sent).doesNotContain("\u001b[2J", "\u001b]", "\u0007", "\u009b", "\u202e", "\r", "\u007f");
    ServerFrame.FileRef file = new ServerFrame.FileRef("f1", "a\u001b[1Ab.txt", 1, "ab", null);
    assertThat(renderer.message(new ServerFrame.Message(10, "bob", "alice", null, file, AT.toEpochMilli()), "alice").toString())
        .contains("[file a^[[1Ab.txt, ");
    assertThat(renderer.presence(new ServerFrame.Presence("b\u001b[Kob", true)).toString()).isEqualTo("14:03 -- b^[[Kob is online");
    assertThat(renderer.error("no user \u001b[2J").toString()).isEqualTo("14:03 !! no user ^[[2J");
  }

  @Test
  void aMultiLineMessageIndentsItsContinuationLines() {
    ServerFrame.Message twoLines = new ServerFrame.Message(11, "bob", "alice", "first\nsecond\r\nthird", AT.toEpochMilli());
    assertThat(new ChatRenderer(false, CLOCK).message(twoLines, "alice").toString())
        .isEqualTo("14:03 <bob> first\n      second\n      third");
  }

  @Test
  void noColourSetMeansNoEscapeSequencesEvenOnAColourTerminal() throws Exception {
    try (Terminal terminal = xterm()) {
      int colours = terminal.getNumericCapability(Capability.max_colors);
      assertThat(ChatRenderer.wantsColour(environment(Map.of()), colours)).isTrue();
      assertThat(ChatRenderer.wantsColour(environment(Map.of("NO_COLOR", "1")), colours)).isFalse();
      assertThat(ChatRenderer.wantsColour(environment(Map.of()), 0)).isFalse();

      AttributedString coloured = new ChatRenderer(true, CLOCK).message(FROM_BOB, "alice");
      AttributedString plain = new ChatRenderer(false, CLOCK).message(FROM_BOB, "alice");
      assertThat(coloured.toAnsi(terminal)).contains("\u001b[");
      assertThat(plain.toAnsi(terminal)).doesNotContain("\u001b").isEqualTo("14:03 <bob> hi");
      assertThat(new ChatRenderer(false, CLOCK).error("oops").toAnsi(terminal)).doesNotContain("\u001b");
    }
  }

  @Test
  void editsAndDeletesSayWhatHappenedLiveAndInHistory() {
    ChatRenderer renderer = new ChatRenderer(false, CLOCK);
    long ts = AT.toEpochMilli();
    ServerFrame.Message editEntry = new ServerFrame.Message(12, null, "bob", null, "alice", 7L, null, "hi again", null, null, null, null, null, ts);
    ServerFrame.Message deleteEntry = new ServerFrame.Message(13, "r1", "bob", null, null, null, 7L, null, null, null, null, null, null, ts);
    ServerFrame.Message edited = new ServerFrame.Message(7, null, "bob", null, "alice", null, null, "hi again", null, null, true, null, null, ts);
    ServerFrame.Message deleted = new ServerFrame.Message(7, null, "alice", null, "bob", null, null, null, null, null, null, true, null, ts);

    assertThat(renderer.message(editEntry, "alice").toString()).isEqualTo("14:03 <bob> hi again (edited)");
    assertThat(renderer.message(deleteEntry, "alice", "#lab").toString()).isEqualTo("14:03 [#lab] <bob> message deleted");
    assertThat(renderer.listed(edited, "alice", null).toString()).isEqualTo("14:03 #7 <bob> hi again (edited)");
    assertThat(renderer.listed(deleted, "alice", null).toString()).isEqualTo("14:03 #7 -> bob: message deleted");
  }

  @Test
  void aMentionOfMeStandsOutInColour() throws Exception {
    long ts = AT.toEpochMilli();
    ServerFrame.Message mention =
        new ServerFrame.Message(14, "r1", "bob", null, null, null, null, "@alice look", null, null, null, null, List.of("alice"), ts);
    ServerFrame.Message other =
        new ServerFrame.Message(15, "r1", "bob", null, null, null, null, "@carol look", null, null, null, null, List.of("carol"), ts);
    ChatRenderer renderer = new ChatRenderer(true, CLOCK);
    try (Terminal terminal = xterm()) {
      String highlighted = renderer.message(mention, "alice", "#lab").toAnsi(terminal);
      String plain = renderer.message(other, "alice", "#lab").toAnsi(terminal);
      assertThat(highlighted.substring(highlighted.indexOf("> ") + 2)).startsWith("\u001b[").contains("@alice look");
      assertThat(plain.substring(plain.indexOf("> ") + 2)).startsWith("@carol look");
    }
    assertThat(new ChatRenderer(false, CLOCK).message(mention, "alice", "#lab").toString()).isEqualTo("14:03 [#lab] <bob> @alice look");
  }
}
