package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.NotifyLevel;
import java.util.List;
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
    assertThat(ChatInput.parse("/msg bob")).isEqualTo(new ChatInput.Invalid("usage: /msg NAME|#ROOM TEXT"));
    assertThat(ChatInput.parse("/send bob")).isEqualTo(new ChatInput.Invalid("usage: /send NAME|#ROOM PATH"));
    assertThat(ChatInput.parse("/get")).isEqualTo(new ChatInput.Invalid("usage: /get ID [PATH]"));
    assertThat(ChatInput.parse("/to bob alice")).isEqualTo(new ChatInput.Invalid("usage: /to NAME|#ROOM"));
    assertThat(ChatInput.parse("/history 0")).isEqualTo(new ChatInput.Invalid("usage: /history [N], N from 1 to 9999"));
    assertThat(ChatInput.parse("/history lots")).isEqualTo(new ChatInput.Invalid("usage: /history [N], N from 1 to 9999"));
    assertThat(ChatInput.parse("/dance"))
        .isEqualTo(new ChatInput.Invalid("unknown command /dance; /help lists them (start a line with // to send a slash)"));
  }

  @Test
  void roomCommandsParseWithTheirArguments() {
    assertThat(ChatInput.parse("/rooms")).isEqualTo(new ChatInput.Rooms());
    assertThat(ChatInput.parse("/to #lab")).isEqualTo(new ChatInput.To("#lab"));
    assertThat(ChatInput.parse("/to #reading group")).isEqualTo(new ChatInput.To("#reading group"));
    assertThat(ChatInput.parse("/msg #lab hi all")).isEqualTo(new ChatInput.Msg("#lab", "hi all"));
    assertThat(ChatInput.parse("/join #reading group")).isEqualTo(new ChatInput.Join("#reading group"));
    assertThat(ChatInput.parse("/join #reading\\ group")).isEqualTo(new ChatInput.Join("#reading group"));
    assertThat(ChatInput.parse("/msg #reading\\ group see you friday"))
        .isEqualTo(new ChatInput.Msg("#reading group", "see you friday"));
    assertThat(ChatInput.parse("/send #reading\\ group my notes.txt"))
        .isEqualTo(new ChatInput.Send("#reading group", "my notes.txt"));
    assertThat(ChatInput.parse("/leave")).isEqualTo(new ChatInput.Leave(null));
    assertThat(ChatInput.parse("/leave #lab")).isEqualTo(new ChatInput.Leave("#lab"));
    assertThat(ChatInput.parse("/create lab")).isEqualTo(new ChatInput.Create("lab", false, List.of()));
    assertThat(ChatInput.parse("/create #实验室 --open bob 张三"))
        .isEqualTo(new ChatInput.Create("实验室", true, List.of("bob", "张三")));
  }

  @Test
  void badRoomCommandsSayHowToFixThem() {
    assertThat(ChatInput.parse("/join")).isEqualTo(new ChatInput.Invalid("usage: /join #ROOM"));
    assertThat(ChatInput.parse("/create")).isEqualTo(new ChatInput.Invalid("usage: /create NAME [--open] [USER...]"));
    assertThat(ChatInput.parse("/create --open")).isEqualTo(new ChatInput.Invalid("usage: /create NAME [--open] [USER...]"));
    assertThat(ChatInput.parse("/create lab --private")).isEqualTo(new ChatInput.Invalid("usage: /create NAME [--open] [USER...]"));
    assertThat(ChatInput.parse("/rooms all")).isEqualTo(new ChatInput.Invalid("usage: /rooms"));
  }

  @Test
  void searchEditDeleteAndNotifyParse() {
    assertThat(ChatInput.parse("/search 周报 draft")).isEqualTo(new ChatInput.Search(false, "周报 draft"));
    assertThat(ChatInput.parse("/search -a 周报")).isEqualTo(new ChatInput.Search(true, "周报"));
    assertThat(ChatInput.parse("/search -all")).isEqualTo(new ChatInput.Search(false, "-all"));
    assertThat(ChatInput.parse("/edit #41 new text")).isEqualTo(new ChatInput.Edit(41L, "new text"));
    assertThat(ChatInput.parse("/edit 41 new text")).isEqualTo(new ChatInput.Edit(41L, "new text"));
    assertThat(ChatInput.parse("/edit 42")).isEqualTo(new ChatInput.Edit(null, "42"));
    assertThat(ChatInput.parse("/edit fixed  spacing")).isEqualTo(new ChatInput.Edit(null, "fixed  spacing"));
    assertThat(ChatInput.parse("/delete")).isEqualTo(new ChatInput.Delete(null));
    assertThat(ChatInput.parse("/delete #41")).isEqualTo(new ChatInput.Delete(41L));
    assertThat(ChatInput.parse("/notify")).isEqualTo(new ChatInput.Notify(null));
    assertThat(ChatInput.parse("/notify Mentions")).isEqualTo(new ChatInput.Notify(NotifyLevel.MENTIONS));
  }

  @Test
  void badSearchEditDeleteAndNotifySayHowToFixThem() {
    assertThat(ChatInput.parse("/search")).isEqualTo(new ChatInput.Invalid("usage: /search [-a] QUERY"));
    assertThat(ChatInput.parse("/search -a")).isEqualTo(new ChatInput.Invalid("usage: /search [-a] QUERY"));
    assertThat(ChatInput.parse("/edit")).isEqualTo(new ChatInput.Invalid("usage: /edit [#SEQ] TEXT"));
    assertThat(ChatInput.parse("/delete last")).isEqualTo(new ChatInput.Invalid("usage: /delete [#SEQ]"));
    assertThat(ChatInput.parse("/notify loud")).isEqualTo(new ChatInput.Invalid("usage: /notify [all|mentions|none]"));
  }
}
