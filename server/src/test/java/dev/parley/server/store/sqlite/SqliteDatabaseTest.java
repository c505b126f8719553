package dev.parley.server.store.sqlite;

import dev.parley.server.store.sql.SqlStores;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.server.store.NewMessage;
import dev.parley.server.store.User;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteDatabaseTest {
  @Test
  void aNewDatabaseUsesSmallPagesInWalMode(@TempDir Path dir) {
    try (SqliteDatabase database = SqliteDatabase.open(dir)) {
      String pageSize = database.read(connection -> pragma(connection, "page_size"));
      String journalMode = database.read(connection -> pragma(connection, "journal_mode"));

      assertThat(pageSize).isEqualTo(String.valueOf(SqliteDatabase.PAGE_SIZE_BYTES));
      assertThat(journalMode).isEqualTo("wal");
    }
  }

  private static String pragma(Connection connection, String name) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("PRAGMA " + name)) {
      rows.next();
      return rows.getString(1);
    }
  }

  @Test
  void committedPagesReachTheDatabaseFileWithoutAnyCommitRunningTheCheckpoint(@TempDir Path dir) throws Exception {
    Path file = dir.resolve(SqliteDatabase.FILE_NAME);
    try (SqlStores stores = new SqlStores(SqliteDatabase.open(dir))) {
      User alice = stores.users().create("alice", "alice", "x", 0);
      User bob = stores.users().create("bob", "bob", "x", 0);
      long sizeBefore = Files.size(file);
      List<NewMessage> batch = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        batch.add(NewMessage.text(alice.id(), bob.id(), "m" + i, "x".repeat(200), i));
      }

      stores.messages().appendAll(batch, List.of());

      // The writer never checkpoints, so only the background checkpoint can grow the main file.
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.size(file) > sizeBefore + 200_000);
      assertThat(stores.messages().undelivered(bob.id(), 0, 3_000)).hasSize(2_000);
    }
  }
}
