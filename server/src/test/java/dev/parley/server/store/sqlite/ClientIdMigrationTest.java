package dev.parley.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.parley.server.store.AppendResult;
import dev.parley.server.store.NewMessage;
import dev.parley.server.store.StoredMessage;
import dev.parley.server.store.sql.SqlStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database from before the unique index on client ids was dropped: its log moves to the new
 * table whole, a retry of a client id it holds is still recognised, and no seq is handed out twice.
 */
class ClientIdMigrationTest {
  /** The schema version of the release with the unique index (accounts). */
  private static final int WITH_UNIQUE_CLIENT_IDS = 7;

  @Test
  void theLogKeepsItsRowsItsIndexesAndItsSeqHighMark(@TempDir Path dataDir) throws Exception {
    try (Connection old = OldDatabase.at(dataDir, WITH_UNIQUE_CLIENT_IDS); Statement sql = old.createStatement()) {
      sql.execute("INSERT INTO users(id, username, username_key, password_hash, created_at, username_skeleton) "
          + "VALUES (1, 'alice', 'alice', 'x', 0, 'alice'), (2, 'bob', 'bob', 'x', 0, 'bob')");
      sql.execute("INSERT INTO conversations(id, kind, direct_key, last_n, last_seq) VALUES (1, 'direct', '1:2', 2, 3)");
      sql.execute("INSERT INTO conversation_members(conversation_id, user_id) VALUES (1, 1), (1, 2)");
      sql.execute("INSERT INTO messages(seq, conversation_id, n, sender_id, recipient_id, client_id, body, created_at) VALUES "
          + "(1, 1, 1, 1, 2, 'm1', '你好', 10), (2, 1, 2, 2, 1, 'm2', 'hello', 20), (3, 1, 3, 1, 2, 'm3', 'gone', 30)");
      // The newest row is gone (as a test can make it): its seq must still never come back.
      sql.execute("DELETE FROM messages WHERE seq = 3");
      old.commit();
    }

    try (SqlStores stores = new SqlStores(SqliteDatabase.open(dataDir))) {
      assertThat(stores.messages().directHistory(1, 2, Long.MAX_VALUE, 10))
          .extracting(StoredMessage::seq, StoredMessage::text)
          .containsExactly(tuple(1L, "你好"), tuple(2L, "hello"));
      List<AppendResult> retried = stores.messages().appendAll(
          List.of(NewMessage.text(1, 2, "m1", "你好", 40), NewMessage.text(1, 2, "m4", "new", 50)), List.of());
      assertThat(retried.get(0)).isEqualTo(new AppendResult(1, 10, true));
      assertThat(retried.get(1).seq()).as("above the deleted row's seq").isEqualTo(4);
      assertThat(retried.get(1).duplicate()).isFalse();
      try (Connection connection = OldDatabase.open(dataDir); Statement sql = connection.createStatement();
          ResultSet indexes = sql.executeQuery(
              "SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_index_list('messages') ORDER BY name)")) {
        indexes.next();
        assertThat(indexes.getString(1)).isEqualTo("deleted_messages,messages_by_conversation,messages_by_file");
      }
    }
  }
}
