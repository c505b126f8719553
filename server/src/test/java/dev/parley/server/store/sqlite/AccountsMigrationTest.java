package dev.parley.server.store.sqlite;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.account.PasswordHasher;
import dev.parley.server.account.Tokens;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database from before the admin role: its users, and their logins, carry on as plain users. */
class AccountsMigrationTest {
  /** The last schema version before accounts had roles, states and sessions. */
  private static final int BEFORE_ACCOUNTS = 5;

  @Test
  void existingUsersAndTokensKeepWorkingAndNobodyIsAnAdmin(@TempDir Path dataDir) throws Exception {
    String token = Tokens.newToken();
    try (Connection old = OldDatabase.at(dataDir, BEFORE_ACCOUNTS)) {
      String hash = new PasswordHasher(TestServer.testSettings(dataDir).toConfig().accounts().argon2()).hash(PASSWORD);
      try (PreparedStatement user = old.prepareStatement(
              "INSERT INTO users(id, username, username_key, password_hash, created_at, username_skeleton) VALUES (1, '老王', '老王', ?, 1000, '老王')");
          PreparedStatement login = old.prepareStatement(
              "INSERT INTO tokens(token_hash, user_id, created_at, last_used_at) VALUES (?, 1, 2000, ?)")) {
        user.setString(1, hash);
        user.executeUpdate();
        login.setString(1, Tokens.hash(token));
        login.setLong(2, System.currentTimeMillis());
        login.executeUpdate();
      }
      old.commit();
    }

    try (TestServer server = TestServer.startOn(dataDir, Map.of())) {
      Http http = new Http(server.http());
      JsonNode account = http.get("/api/v1/account", token).body();
      assertThat(account.get("username").asText()).isEqualTo("老王");
      assertThat(account.get("admin").asBoolean()).isFalse();
      JsonNode session = http.get("/api/v1/account/sessions", token).body().get("sessions").get(0);
      assertThat(session.get("current").asBoolean()).isTrue();
      assertThat(session.get("created").asLong()).isEqualTo(2000);
      assertThat(session.has("address")).isFalse();
      assertThat(http.login("老王", PASSWORD)).isNotBlank();
      assertThat(http.get("/api/v1/admin/users", token).errorCode()).isEqualTo("forbidden");
    }
  }
}
