package dev.parley.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.Http;
import dev.parley.server.testing.Http.Reply;
import dev.parley.server.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Names that only look like another, or hide characters, are refused at registration. */
class LookAlikeUsernamesTest {
  private static TestServer server;
  private static Http http;

  @BeforeAll
  static void startServerWithAliceAndCoco() {
    server = TestServer.start();
    http = new Http(server.http());
    http.registerAndLogin("alice", "secret123");
    http.registerAndLogin("coco", "secret123");
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static Reply register(String username) {
    return http.post("/api/v1/register", Map.of("username", username, "password", "secret123"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "ａｌｉｃｅ", // full-width, NFKC: alice
        "\uD835\uDC1A\uD835\uDC25\uD835\uDC22\uD835\uDC1C\uD835\uDC1E", // mathematical bold, NFKC: alice
        "\u0430lice", // Cyrillic а, then Latin
        "ALICE",
        "\u0441\u043e\u0441\u043e", // all Cyrillic, looks like coco
      })
  void aNameThatLooksLikeATakenOneIsTaken(String username) {
    Reply reply = register(username);
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(409);
    assertThat(reply.errorCode()).isEqualTo("username_taken");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "alice\uFE0F         | a username cannot hold invisible characters (U+FE0F)",
        "\u3164\u3164        | a username cannot hold invisible characters (U+1160)",
        "b\u03bfb            | a username cannot mix Latin and Greek characters; use one script, or Latin with Han, Hiragana, Katakana, Bopomofo or Hangul",
        "p\u0430ypal         | a username cannot mix Latin and Cyrillic characters; use one script, or Latin with Han, Hiragana, Katakana, Bopomofo or Hangul",
        "\u0645\u062d\u0645\u062f1\u0663 | a username cannot mix digits of different scripts",
      })
  void invisibleCharactersAndConfusableScriptMixesAreInvalid(String username, String message) {
    Reply reply = register(username.strip());
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(400);
    assertThat(reply.errorCode()).isEqualTo("invalid_username");
    assertThat(reply.body().path("error").path("message").asText()).isEqualTo(message);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"张伟", "李小龙", "张wei", "さくらsakura", "김민준", "Ирина", "αλέξης", "Zoë", "o.brien-2"})
  void singleScriptNamesAndLatinWithHanKanaOrHangulWork(String username) {
    Reply reply = register(username);
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(201);
    assertThat(http.login(username, "secret123")).isNotBlank();
  }

  @Test
  void aFullWidthNameIsStoredAsItsPlainForm() {
    Reply reply = register("ｄａｖｅ");
    assertThat(reply.status()).isEqualTo(201);
    assertThat(reply.body().path("username").asText()).isEqualTo("dave");
  }
}
