package dev.parley.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.store.NewMessage;
import dev.parley.server.store.Revision;
import dev.parley.server.store.StoredMessage;
import dev.parley.server.store.sql.SqlStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * New messages are indexed for search behind the commit that acks them: what a crash left
 * committed but not indexed is indexed when the store opens, in its current state.
 */
class SearchCatchUpTest {
  @Test
  void messagesCommittedButNotYetIndexedAreFoundAfterTheStoreOpensAgain(@TempDir Path dataDir) throws Exception {
    try (SqlStores stores = new SqlStores(SqliteDatabase.open(dataDir))) {
      long alice = stores.users().create("alice", "alice", "x", 0).id();
      long bob = stores.users().create("bob", "bob", "x", 0).id();
      stores.messages().appendAll(List.of(
          NewMessage.text(alice, bob, "m1", "第一条 indexed", 1),
          NewMessage.text(alice, bob, "m2", "第二条 not yet", 2),
          NewMessage.text(alice, bob, "m3", "第三条 edited before indexing", 3)), List.of());
      stores.messages().appendAll(List.of(
          NewMessage.revision(alice, "e3", new Revision(3, "第三条 as edited"), List.of(), 4)), List.of());
    }
    // As a kill -9 can leave it: the log committed, the follower not past its first message.
    String url = "jdbc:sqlite:" + dataDir.resolve(SqliteDatabase.FILE_NAME);
    try (Connection connection = DriverManager.getConnection(url); Statement sql = connection.createStatement()) {
      sql.execute("DELETE FROM message_search WHERE rowid > 1");
    }

    try (SqlStores stores = new SqlStores(SqliteDatabase.open(dataDir))) {
      assertThat(stores.messages().search(2, 0, "第二条", Long.MAX_VALUE, 10)).extracting(StoredMessage::seq).containsExactly(2L);
      assertThat(stores.messages().search(2, 0, "as edited", Long.MAX_VALUE, 10)).extracting(StoredMessage::seq).containsExactly(3L);
      assertThat(stores.messages().search(2, 0, "before indexing", Long.MAX_VALUE, 10)).as("the old text").isEmpty();
      assertThat(stores.messages().search(2, 0, "第一条", Long.MAX_VALUE, 10)).as("indexed once").hasSize(1);
    }
  }

  @Test
  void aBacklogOfLongMessagesSpanningSeveralTransactionsIsIndexedToItsLastMessage(@TempDir Path dataDir) throws Exception {
    // 300 messages of 1,000 characters: more than two transactions' worth of text, far fewer than
    // a transaction's worth of rows.
    int count = 300;
    try (SqlStores stores = new SqlStores(SqliteDatabase.open(dataDir))) {
      long alice = stores.users().create("alice", "alice", "x", 0).id();
      long bob = stores.users().create("bob", "bob", "x", 0).id();
      List<NewMessage> messages = new ArrayList<>();
      for (int i = 1; i <= count; i++) {
        messages.add(NewMessage.text(alice, bob, "m" + i, "长消息" + i + "号 " + "y".repeat(1000), i));
      }
      stores.messages().appendAll(messages, List.of());
    }
    String url = "jdbc:sqlite:" + dataDir.resolve(SqliteDatabase.FILE_NAME);
    try (Connection connection = DriverManager.getConnection(url); Statement sql = connection.createStatement()) {
      sql.execute("DELETE FROM message_search");
    }

    try (SqlStores stores = new SqlStores(SqliteDatabase.open(dataDir))) {
      assertThat(stores.messages().search(2, 0, "长消息1号", Long.MAX_VALUE, 10)).extracting(StoredMessage::seq).containsExactly(1L);
      assertThat(stores.messages().search(2, 0, "长消息" + count + "号", Long.MAX_VALUE, 10))
          .extracting(StoredMessage::seq).containsExactly((long) count);
    }
  }
}
