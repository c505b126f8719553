package dev.parley.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Which server a test is handed, with which settings, and the users made on it. */
@ParleyServerTest
@ServerSetting(key = "password-require-digit", value = "false")
class ParleyServerExtensionTest {
  private static TestServer classServer;

  @BeforeAll
  static void logInAlice(TestServer server, TestUsers users) {
    classServer = server;
    users.create("alice");
  }

  private static JsonNode passwordPolicy(Http http) {
    return http.get("/api/v1/password-policy", null).body();
  }

  @Test
  void testsShareTheClassServerWithTheClassSettings(TestServer server, Http http) {
    assertThat(server).isSameAs(classServer);
    assertThat(passwordPolicy(http).get("requireDigit").asBoolean()).isFalse();
  }

  @Test
  @ServerSetting(key = "password-min-length", value = "12")
  void aTestWithSettingsOfItsOwnGetsAServerWithTheClassAndItsOwnSettings(TestServer server, Http http) {
    assertThat(server).isNotSameAs(classServer);
    assertThat(passwordPolicy(http).get("minLength").asInt()).isEqualTo(12);
    assertThat(passwordPolicy(http).get("requireDigit").asBoolean()).isFalse();
  }

  @Test
  @OwnServer
  void anOwnServerStartsEmpty(TestServer server, TestUsers users) {
    assertThat(server).isNotSameAs(classServer);
    assertThat(users.create("alice").username()).isEqualTo("alice");
  }

  @Test
  void usersAreLoggedInWithTheSharedPasswordAndCanLogInAgain(TestUsers users, Http http) {
    TestUser bob = users.create("bob");
    TestUser bobElsewhere = users.login("bob");

    assertThat(bob.password()).isEqualTo(TestUsers.PASSWORD);
    assertThat(bobElsewhere.token()).isNotEqualTo(bob.token());
    assertThat(http.get("/api/v1/users", bob.token()).status()).isEqualTo(200);
    assertThat(http.get("/api/v1/users", bobElsewhere.token()).status()).isEqualTo(200);
  }
}
