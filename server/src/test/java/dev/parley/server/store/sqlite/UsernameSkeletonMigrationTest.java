package dev.parley.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.parley.server.testing.Http;
import dev.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database from before look-alike checks gets its skeletons, and look-alikes of its users are taken. */
class UsernameSkeletonMigrationTest {
  @Test
  void existingUsersGetSkeletonsAndBlockLookAlikes(@TempDir Path dataDir) throws Exception {
    try (Connection old = OldDatabase.at(dataDir, 2)) {
      try (PreparedStatement insert = old.prepareStatement(
          "INSERT INTO users(username, username_key, password_hash, created_at) VALUES (?, ?, 'x', 0)")) {
        // Two look-alikes registered back when nothing stopped it: both stay.
        for (String name : new String[] {"alice", "\u0430lice", "paypal"}) {
          insert.setString(1, name);
          insert.setString(2, name);
          insert.executeUpdate();
        }
      }
      old.commit();
    }

    try (TestServer server = TestServer.startOn(dataDir, Map.of())) {
      Http http = new Http(server.http());
      for (String lookAlike : new String[] {"ａｌｉｃｅ", "p\u0430yp\u0430l", "PAYPAL"}) {
        assertThat(http.post("/api/v1/register", Map.of("username", lookAlike, "password", "secret123")).errorCode())
            .as(lookAlike)
            .isEqualTo("username_taken");
      }
      assertThat(http.post("/api/v1/register", Map.of("username", "bob", "password", "secret123")).status()).isEqualTo(201);
    }

    try (Connection migrated = OldDatabase.open(dataDir);
        Statement query = migrated.createStatement();
        ResultSet rows = query.executeQuery("SELECT username, username_skeleton FROM users ORDER BY id")) {
      Map<String, String> skeletons = new LinkedHashMap<>();
      while (rows.next()) {
        skeletons.put(rows.getString(1), rows.getString(2));
      }
      assertThat(skeletons).containsExactly(
          entry("alice", "alice"), entry("\u0430lice", null), entry("paypal", "paypal"), entry("bob", "bob"));
    }
  }
}
