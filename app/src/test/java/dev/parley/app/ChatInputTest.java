package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChatInputTest {
  @Test
  void plainTextIsForTheCurrentTarget() {
    assertThat(ChatInput.parse("  hello there ")).isEqualTo(new ChatInput.Say("hello there"));
    assertThat(ChatInput.parse("   ")).isEqualTo(new ChatInput.Blank());
  }

  @Test
  void aDoubleSlashSendsALineStartingWithASlash() {
    assertThat(ChatInput.parse("//shrug")).isEqualTo(new ChatInput.Say("/shrug"));
  }

  @Test
  void commandsParseWithTheirArguments() {
    assertThat(ChatInput.parse("/msg bob hi  there")).isEqualTo(new ChatInput.Msg("bob", "hi  there"));
    assertThat(ChatInput.parse("/TO bob")).isEqualTo(new ChatInput.To("bob"));
    assertThat(ChatInput.parse("/to")).isEqualTo(new ChatInput.To(null));
    assertThat(ChatInput.parse("/history")).isEqualTo(new ChatInput.History(ChatInput.DEFAULT_HISTORY));
    assertThat(ChatInput.parse("/history 5")).isEqualTo(new ChatInput.History(5));
    assertThat(ChatInput.parse("/send bob report.pdf")).isEqualTo(new ChatInput.Send("bob", "report.pdf"));
    assertThat(ChatInput.parse("/get abc")).isEqualTo(new ChatInput.Get("abc", null));
    assertThat(ChatInput.parse("/get abc out.bin")).isEqualTo(new ChatInput.Get("abc", "out.bin"));
    assertThat(ChatInput.parse("/users")).isEqualTo(new ChatInput.Users());
    assertThat(ChatInput.parse("/logout")).isEqualTo(new ChatInput.Logout());
    assertThat(ChatInput.parse("/quit")).isEqualTo(new ChatInput.Quit());
    assertThat(ChatInput.parse("/help")).isEqualTo(new ChatInput.Help());
  }

  @Test
  void badCommandsSayWhatIsWrongAndHowToFixIt() {
    assertThat(ChatInput.parse("/msg bob")).isEqualTo(new ChatInput.Invalid("usage: /msg NAME TEXT"));
    assertThat(ChatInput.parse("/send bob")).isEqualTo(new ChatInput.Invalid("usage: /send NAME PATH"));
    assertThat(ChatInput.parse("/get")).isEqualTo(new ChatInput.Invalid("usage: /get ID [PATH]"));
    assertThat(ChatInput.parse("/to bob alice")).isEqualTo(new ChatInput.Invalid("usage: /to NAME"));
    assertThat(ChatInput.parse("/history 0")).isEqualTo(new ChatInput.Invalid("usage: /history [N], N from 1 to 9999"));
    assertThat(ChatInput.parse("/history lots")).isEqualTo(new ChatInput.Invalid("usage: /history [N], N from 1 to 9999"));
    assertThat(ChatInput.parse("/dance"))
        .isEqualTo(new ChatInput.Invalid("unknown command /dance; /help lists them (start a line with // to send a slash)"));
  }
}
