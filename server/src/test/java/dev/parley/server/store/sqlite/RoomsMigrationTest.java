package dev.parley.server.store.sqlite;

import dev.parley.server.store.sql.SqlStores;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.store.StoredMessage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database from before rooms keeps its messages: the inbox becomes delivery cursors (what was
 * undelivered still arrives), messages get their numbers in their conversation, and nothing old
 * shows as unread.
 */
class RoomsMigrationTest {
  @Test
  void undeliveredInboxRowsStillArriveAndOldMessagesCountAsRead(@TempDir Path dataDir) throws Exception {
    try (Connection old = OldDatabase.at(dataDir, 3); Statement sql = old.createStatement()) {
      sql.execute("INSERT INTO users(id, username, username_key, password_hash, created_at, username_skeleton) "
          + "VALUES (1, 'alice', 'alice', 'x', 0, 'alice'), (2, 'bob', 'bob', 'x', 0, 'bob'), (3, 'carol', 'carol', 'x', 0, 'carol')");
      sql.execute("INSERT INTO conversations(id, kind, direct_key) VALUES (1, 'direct', '1:2'), (2, 'direct', '1:3')");
      sql.execute("INSERT INTO conversation_members VALUES (1, 1), (1, 2), (2, 1), (2, 3)");
      for (int i = 1; i <= 5; i++) {
        sql.execute("INSERT INTO messages(conversation_id, sender_id, recipient_id, client_id, body, created_at) "
            + "VALUES (1, 1, 2, 'm" + i + "', 'old " + i + "', " + i + ")");
        sql.execute("INSERT INTO messages(conversation_id, sender_id, recipient_id, client_id, body, created_at) "
            + "VALUES (2, 1, 3, 'c" + i + "', 'to carol " + i + "', " + i + ")");
      }
      // bob got his first two messages (seq 1 and 3); the rest (seq 5, 7, 9) never reached him.
      sql.execute("INSERT INTO inbox(user_id, seq) VALUES (2, 5), (2, 7), (2, 9)");
      old.commit();
    }

    try (SqlStores stores = new SqlStores(SqliteDatabase.open(dataDir))) {
      assertThat(stores.messages().undelivered(2, 0, 100)).extracting(StoredMessage::text)
          .containsExactly("old 3", "old 4", "old 5");
      assertThat(stores.messages().undelivered(3, 0, 100)).as("carol had everything").isEmpty();
      assertThat(stores.conversations().conversations(2)).singleElement().satisfies(conversation -> {
        assertThat(conversation.with()).isEqualTo("alice");
        assertThat(conversation.unread()).isZero();
        assertThat(conversation.last().text()).isEqualTo("old 5");
      });
    }
    try (Connection migrated = OldDatabase.open(dataDir);
        Statement query = migrated.createStatement();
        ResultSet rows = query.executeQuery(
            "SELECT group_concat(n) FROM (SELECT n FROM messages WHERE conversation_id = 2 ORDER BY seq)")) {
      rows.next();
      assertThat(rows.getString(1)).isEqualTo("1,2,3,4,5");
    }
  }
}
