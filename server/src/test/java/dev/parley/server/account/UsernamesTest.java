package dev.parley.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.ParleyException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UsernamesTest {
  @ParameterizedTest
  @ValueSource(strings = {"al", "张三", "user_1.x-y", "Ирина", "नमस्ते", "محمد", "Zoë", "12"})
  void acceptsLettersOfAnyScriptDigitsAndSeparators(String name) {
    assertThat(Usernames.normalize(name)).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "O'Brien", "tab\tname", "\u0301ab", "zero\u200Bwidth", "a@b", "line\nbreak"})
  void refusesEverythingElse(String name) {
    assertThatThrownBy(() -> Usernames.normalize(name)).isInstanceOf(ParleyException.class);
  }

  @Test
  void normalizesToNfcAndComparesIgnoringCase() {
    assertThat(Usernames.normalize("Zoe\u0308")).isEqualTo("Zoë");
    assertThat(Usernames.key("ZOË")).isEqualTo(Usernames.key("zoë"));
    assertThat(Usernames.lookupKey("Zoe\u0308")).isEqualTo(Usernames.key("zoë"));
    assertThat(Usernames.key("张三")).isEqualTo("张三");
  }
}
