package dev.parley.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.store.StoredMessage;
import dev.parley.server.store.sql.SqlStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database from before search: its messages and file names are searchable once it is opened. */
class SearchMigrationTest {
  /** The schema version of the release before search (rooms). */
  private static final int BEFORE_SEARCH = 5;
  /** The schema version before the index's merge setting. */
  private static final int BEFORE_AUTOMERGE = 9;
  /** The last schema version whose search index kept each trigram's positions. */
  private static final int WITH_POSITIONS = 10;

  @Test
  void messagesStoredBeforeTheIndexExistedAreFound(@TempDir Path dataDir) throws Exception {
    try (Connection old = OldDatabase.at(dataDir, BEFORE_SEARCH); Statement sql = old.createStatement()) {
      aliceAndBobTalk(sql, 3);
      sql.execute("INSERT INTO files(id, sender_id, recipient_id, name, size, sha256, created_at) "
          + "VALUES ('f1', 1, 2, '年度预算.xlsx', 1, 'x', 0)");
      sql.execute("INSERT INTO messages(seq, conversation_id, n, sender_id, recipient_id, client_id, body, file_id, created_at) VALUES "
          + "(1, 1, 1, 1, 2, 'm1', '旧消息里的关键词', NULL, 1), (2, 1, 2, 2, 1, 'm2', 'an older Keyword', NULL, 2), "
          + "(3, 1, 3, 1, 2, 'file:f1', '', 'f1', 3)");
      old.commit();
    }

    try (SqlStores stores = new SqlStores(SqliteDatabase.open(dataDir))) {
      assertThat(stores.messages().search(2, 0, "关键词", Long.MAX_VALUE, 10)).extracting(StoredMessage::seq).containsExactly(1L);
      assertThat(stores.messages().search(1, 0, "keyword", Long.MAX_VALUE, 10)).extracting(StoredMessage::seq).containsExactly(2L);
      assertThat(stores.messages().search(2, 0, "年度预算", Long.MAX_VALUE, 10)).extracting(StoredMessage::seq).containsExactly(3L);
      assertThat(stores.messages().search(3, 0, "关键词", Long.MAX_VALUE, 10)).as("carol was never in it").isEmpty();
    }
  }

  @Test
  void anIndexMadeByAnEarlierReleaseMergesSixteenSegmentsAtATimeAndNeverAWholeLevelAtOnce(@TempDir Path dataDir) throws Exception {
    try (Connection old = OldDatabase.at(dataDir, BEFORE_AUTOMERGE)) {
      assertThat(setting(old, "automerge")).as("FTS5's default, not stored").isNull();
    }

    SqliteDatabase.open(dataDir).close();

    try (Connection migrated = OldDatabase.open(dataDir)) {
      assertThat(setting(migrated, "automerge")).isEqualTo(16);
      assertThat(setting(migrated, "crisismerge")).isEqualTo(64);
    }
  }

  @Test
  void anIndexWithPositionsFromAnEarlierReleaseIsRebuiltWithoutThemAndFindsWhatItFound(@TempDir Path dataDir) throws Exception {
    try (Connection old = OldDatabase.at(dataDir, WITH_POSITIONS); Statement sql = old.createStatement()) {
      aliceAndBobTalk(sql, 2);
      sql.execute("INSERT INTO messages(seq, conversation_id, n, sender_id, recipient_id, client_id, body, created_at) VALUES "
          + "(1, 1, 1, 1, 2, 'm1', '季度报告在这里', 1), (2, 1, 2, 2, 1, 'm2', 'the Quarterly report', 2)");
      sql.execute("INSERT INTO message_search(rowid, body) VALUES (1, '季度报告在这里'), (2, 'the Quarterly report')");
      old.commit();
    }

    try (SqlStores stores = new SqlStores(SqliteDatabase.open(dataDir))) {
      assertThat(stores.messages().search(2, 0, "季度报告", Long.MAX_VALUE, 10)).extracting(StoredMessage::seq).containsExactly(1L);
      assertThat(stores.messages().search(1, 0, "quarterly REPORT", Long.MAX_VALUE, 10)).extracting(StoredMessage::seq).containsExactly(2L);
    }
    try (Connection migrated = OldDatabase.open(dataDir); Statement sql = migrated.createStatement();
        ResultSet table = sql.executeQuery("SELECT sql FROM sqlite_master WHERE name = 'message_search'")) {
      assertThat(table.next()).isTrue();
      assertThat(table.getString(1)).contains("detail=none");
      assertThat(setting(migrated, "automerge")).isEqualTo(16);
    }
  }

  /** Users alice (1), bob (2) and carol (3); conversation 1 is alice and bob's, with {@code messages} messages. */
  private static void aliceAndBobTalk(Statement sql, int messages) throws SQLException {
    sql.execute("INSERT INTO users(id, username, username_key, password_hash, created_at, username_skeleton) "
        + "VALUES (1, 'alice', 'alice', 'x', 0, 'alice'), (2, 'bob', 'bob', 'x', 0, 'bob'), (3, 'carol', 'carol', 'x', 0, 'carol')");
    sql.execute("INSERT INTO conversations(id, kind, direct_key, last_n, last_seq) VALUES (1, 'direct', '1:2', " + messages + ", " + messages + ")");
    sql.execute("INSERT INTO conversation_members(conversation_id, user_id) VALUES (1, 1), (1, 2)");
  }

  private static Integer setting(Connection connection, String key) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT v FROM message_search_config WHERE k = ?")) {
      query.setString(1, key);
      try (ResultSet row = query.executeQuery()) {
        return row.next() ? row.getInt(1) : null;
      }
    }
  }
}
