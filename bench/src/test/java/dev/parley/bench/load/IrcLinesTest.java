package dev.parley.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The IRC line syntax the generator reads: lines as ngircd sends them, without the CR LF. */
class IrcLinesTest {
  @Test
  void privmsgTextStartsAfterTheTrailingColon() {
    String line = ":b1a2b0!~b1a2b0@127.0.0.1 PRIVMSG b1a2b1 :17 123456789 xxxx";

    int text = IrcLines.privmsgText(line);

    assertThat(line.substring(text)).isEqualTo("17 123456789 xxxx");
  }

  @Test
  void privmsgTextMayBeOneWordWithoutAColon() {
    String line = ":a!b@c PRIVMSG nick hello";

    assertThat(line.substring(IrcLines.privmsgText(line))).isEqualTo("hello");
  }

  @Test
  void privmsgWithoutTargetOrTextAndOtherCommandsHaveNoText() {
    assertThat(IrcLines.privmsgText(":a!b@c PRIVMSG nick")).isEqualTo(-1);
    assertThat(IrcLines.privmsgText(":a!b@c PRIVMSG :no target")).isEqualTo(-1);
    assertThat(IrcLines.privmsgText(":a!b@c NOTICE nick :hello")).isEqualTo(-1);
    assertThat(IrcLines.privmsgText(":a!b@c PRIVMSGX nick :hello")).isEqualTo(-1);
  }

  @Test
  void pingIsAnsweredWithItsToken() {
    assertThat(IrcLines.pong("PING :bench.parley.invalid")).isEqualTo("PONG :bench.parley.invalid");
    assertThat(IrcLines.pong(":server PING token")).isEqualTo("PONG :token");
    assertThat(IrcLines.pong("PING")).isEqualTo("PONG");
    assertThat(IrcLines.pong(":a!b@c PRIVMSG nick :PING x")).isNull();
  }

  @Test
  void numericsAreReadFromTheCommand() {
    assertThat(IrcLines.numeric(":bench.parley.invalid 001 b1a2b0 :Welcome to the Internet Relay Network")).isEqualTo(1);
    assertThat(IrcLines.numeric(":srv 433 * b1a2b0 :Nickname already in use")).isEqualTo(433);
    assertThat(IrcLines.numeric(":a!b@c PRIVMSG 123 :hi")).isEqualTo(-1);
    assertThat(IrcLines.numeric("ERROR :Closing connection")).isEqualTo(-1);
  }

  @Test
  void commandIsTheWordAfterThePrefix() {
    assertThat(IrcLines.command("ERROR :Closing connection")).isEqualTo("ERROR");
    assertThat(IrcLines.command(":srv PING :x")).isEqualTo("PING");
  }

  @Test
  void nicksAreUniqueInARunNewPerRunAndFitNineCharacters() {
    assertThat(IrcTarget.nick(0, "run1-")).isNotEqualTo(IrcTarget.nick(1, "run1-"));
    assertThat(IrcTarget.nick(0, "run1-")).isNotEqualTo(IrcTarget.nick(0, "run2-"));
    assertThat(IrcTarget.nick(1999, "x")).hasSizeLessThanOrEqualTo(9).matches("b[0-9a-z]{4}[0-9a-z]+");
  }
}
