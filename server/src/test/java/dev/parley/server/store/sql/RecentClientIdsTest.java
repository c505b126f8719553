package dev.parley.server.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.store.AppendResult;
import dev.parley.server.store.NewMessage;
import dev.parley.server.store.sqlite.SqliteDatabase;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The window of client ids is the log's newest rows: loaded from its tail, and the oldest leave first. */
class RecentClientIdsTest {
  @Test
  void theWindowHoldsTheNewestRowsOfTheLogAndDropsTheOldestAsNewOnesCommit(@TempDir Path dir) throws Exception {
    try (SqlStores stores = new SqlStores(SqliteDatabase.open(dir))) {
      long alice = stores.users().create("alice", "alice", "x", 0).id();
      long bob = stores.users().create("bob", "bob", "x", 0).id();
      stores.messages().appendAll(List.of(
          NewMessage.text(alice, bob, "m1", "一", 10),
          NewMessage.text(bob, alice, "m2", "二", 20),
          NewMessage.text(alice, bob, "m3", "三", 30)), List.of());

      RecentClientIds window = RecentClientIds.load(stores.database(), 2);
      assertThat(window.find(alice, "m1")).as("older than the window").isNull();
      assertThat(window.find(bob, "m2")).isEqualTo(new AppendResult(2, 20, true));
      assertThat(window.find(alice, "m3")).isEqualTo(new AppendResult(3, 30, true));
      assertThat(window.find(bob, "m3")).as("another sender's id").isNull();

      Map<RecentClientIds.Key, AppendResult> committed = new LinkedHashMap<>();
      committed.put(new RecentClientIds.Key(bob, "m4"), new AppendResult(4, 40, true));
      window.addAll(committed);
      assertThat(window.find(bob, "m2")).as("the oldest left").isNull();
      assertThat(window.find(alice, "m3")).isNotNull();
      assertThat(window.find(bob, "m4")).isEqualTo(new AppendResult(4, 40, true));
    }
  }
}
