package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TerminalTextTest {
  /** What a terminal would act on rather than show: C0 but tab, DEL, C1, bidi controls, line separators. */
  private static boolean actedOn(int cp) {
    return (cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F
        || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
  }

  @Test
  void escapeSequencesShowAsCaretNotation() {
    assertThat(TerminalText.visible("\u001b[2Jgone")).isEqualTo("^[[2Jgone");
    assertThat(TerminalText.visible("\u001b]0;title\u0007")).isEqualTo("^[]0;title^G");
    assertThat(TerminalText.visible("\u001bP+q\u001b\\")).isEqualTo("^[P+q^[\\");
    assertThat(TerminalText.visible("a\u007fb\u0000c\u0008")).isEqualTo("a^?b^@c^H");
  }

  @Test
  void aCarriageReturnCannotOverwriteWhatCameBefore() {
    assertThat(TerminalText.visible("I owe you\rYou owe me")).isEqualTo("I owe you^MYou owe me");
    assertThat(TerminalText.visible("line\rover", "  ")).isEqualTo("line^Mover");
  }

  @Test
  void c1ControlsAndBidiOverridesShowAsEscapes() {
    assertThat(TerminalText.visible("\u009b2J\u0085x")).isEqualTo("\\u009B2J\\u0085x");
    assertThat(TerminalText.visible("invoice_\u202Efdp.exe")).isEqualTo("invoice_\\u202Efdp.exe");
    assertThat(TerminalText.visible("\u2066a\u2067b\u2068c\u2069\u202A\u202B\u202C\u202D"))
        .isEqualTo("\\u2066a\\u2067b\\u2068c\\u2069\\u202A\\u202B\\u202C\\u202D");
    assertThat(TerminalText.visible("\u200E\u200F\u061C\u2028\u2029")).isEqualTo("\\u200E\\u200F\\u061C\\u2028\\u2029");
  }

  @Test
  void noCodePointATerminalActsOnSurvives() {
    String every = IntStream.range(0, 0x2100).collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
    assertThat(TerminalText.visible(every).codePoints().filter(TerminalTextTest::actedOn)).isEmpty();
    assertThat(TerminalText.visible(every, "    ").codePoints().filter(cp -> cp != '\n').filter(TerminalTextTest::actedOn)).isEmpty();
  }

  @Test
  void ordinaryTextInAnyScriptIsUnchanged() {
    String text = "你好，张三 👋 — مرحبا שלום\tcafé";
    assertThat(TerminalText.visible(text)).isEqualTo(text);
  }

  @Test
  void lineBreaksStayLineBreaksOnlyWhenAskedFor() {
    assertThat(TerminalText.visible("one\ntwo")).isEqualTo("one^Jtwo");
    assertThat(TerminalText.visible("one\r\ntwo\nthree", "  ")).isEqualTo("one\n  two\n  three");
  }
}
