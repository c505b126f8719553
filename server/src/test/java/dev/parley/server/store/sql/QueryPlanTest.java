package dev.parley.server.store.sql;

import dev.parley.server.store.sqlite.SqliteDatabase;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hot queries read what they return: each starts from an index, none sorts in a temporary
 * B-tree, none scans the messages. A plan change (a dropped index, a rewritten query) fails here
 * before a backlog of a million messages finds it.
 */
class QueryPlanTest {
  @Test
  void hotQueriesUseIndexesAndNeverSortOrScanMessages(@TempDir Path dir) {
    try (SqlStores stores = new SqlStores(SqliteDatabase.open(dir))) {
      SqlDatabase database = stores.database();
      List<String> queries = List.of(
          ReplayQuery.RANGES_SQL,
          ReplayQuery.mergedSql(1, false),
          ReplayQuery.mergedSql(3, false),
          ReplayQuery.mergedSql(3, true),
          SqlMessageStore.DIRECT_HISTORY_SQL,
          SqlMessageStore.ROOM_HISTORY_SQL,
          SqlConversationStore.ROOMS_OF_SQL,
          SqlConversationStore.CONVERSATIONS_SQL,
          SqlConversationStore.LAST_MESSAGE_SQL + "?, ?)",
          SqlConversationStore.MESSAGE_AT_OR_BEFORE_SQL,
          SqlConversationStore.READ_CURSOR_SQL,
          SearchFollower.UNINDEXED_SQL,
          SearchFollower.INDEX_SQL);
      for (String sql : queries) {
        List<String> plan = database.read(connection -> plan(connection, sql));
        assertThat(plan).as(sql)
            .noneMatch(step -> step.contains("TEMP B-TREE"))
            .noneMatch(step -> step.matches(".*SCAN (m|messages|d)\\b.*"))
            .anyMatch(step -> step.contains("USING"));
      }
    }
  }

  @Test
  void unreadCountsFindDeletedMessagesOnTheirOwnIndex(@TempDir Path dir) {
    try (SqlStores stores = new SqlStores(SqliteDatabase.open(dir))) {
      for (String sql : List.of(SqlConversationStore.ROOMS_OF_SQL, SqlConversationStore.CONVERSATIONS_SQL)) {
        List<String> plan = stores.database().read(connection -> plan(connection, sql));
        assertThat(plan).as(sql)
            .anyMatch(step -> step.matches("SEARCH d USING (COVERING )?INDEX deleted_messages \\(conversation_id=\\? AND n>\\?\\)"));
      }
    }
  }

  @Test
  void searchWalksTheTrigramIndexAndReadsMessagesByKeyOnly(@TempDir Path dir) {
    try (SqlStores stores = new SqlStores(SqliteDatabase.open(dir))) {
      SqlDatabase database = stores.database();
      List<String> trigram = database.read(connection -> plan(connection, SearchQuery.trigramSql(database)));
      assertThat(trigram).as("trigram search")
          .anyMatch(step -> step.contains("SCAN s VIRTUAL TABLE INDEX"))
          .anyMatch(step -> step.matches("SEARCH m USING INTEGER PRIMARY KEY.*"))
          .noneMatch(step -> step.contains("TEMP B-TREE"))
          .noneMatch(step -> step.matches(".*SCAN (m|messages|cm)\\b.*"));
      for (String sql : List.of(SearchQuery.RANGES_SQL, SearchQuery.scanSql(3, database.caseInsensitiveLike()))) {
        List<String> plan = database.read(connection -> plan(connection, sql));
        assertThat(plan).as(sql)
            .noneMatch(step -> step.matches(".*SCAN (m|messages)\\b.*"))
            .anyMatch(step -> step.contains("USING"));
      }
    }
  }

  @Test
  void theReplayMergesConversationsInsteadOfSortingThem(@TempDir Path dir) {
    try (SqlStores stores = new SqlStores(SqliteDatabase.open(dir))) {
      List<String> plan = stores.database().read(connection -> plan(connection, ReplayQuery.mergedSql(2, false)));
      assertThat(plan).anyMatch(step -> step.contains("MERGE (UNION ALL)"));
    }
  }

  private static List<String> plan(Connection connection, String sql) throws SQLException {
    try (PreparedStatement explain = connection.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
      for (int i = 1; i <= explain.getParameterMetaData().getParameterCount(); i++) {
        explain.setLong(i, 1);
      }
      List<String> steps = new ArrayList<>();
      try (ResultSet rows = explain.executeQuery()) {
        while (rows.next()) {
          steps.add(rows.getString(4));
        }
      }
      return steps;
    }
  }
}
