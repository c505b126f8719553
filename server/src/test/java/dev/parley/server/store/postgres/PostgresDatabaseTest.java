package dev.parley.server.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestDatabase;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class PostgresDatabaseTest {
  @Test
  void nodesStartingAtOnceOnAnEmptyDatabaseMigrateItOnce() throws Exception {
    int nodes = 4;
    try (TestDatabase database = TestDatabase.create()) {
      ExecutorService threads = Executors.newFixedThreadPool(nodes);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<PostgresDatabase>> opening = new ArrayList<>();
      try {
        for (int i = 0; i < nodes; i++) {
          opening.add(threads.submit(() -> {
            start.await();
            return PostgresDatabase.open(database.parsedUrl(), 2);
          }));
        }
        start.countDown();
        List<PostgresDatabase> opened = new ArrayList<>();
        for (Future<PostgresDatabase> node : opening) {
          opened.add(node.get());
        }
        int version = opened.getFirst().read(connection -> {
          try (Statement statement = connection.createStatement();
              ResultSet rows = statement.executeQuery("SELECT count(*), max(version) FROM parley_schema")) {
            rows.next();
            assertThat(rows.getInt(1)).as("schema version rows").isEqualTo(1);
            return rows.getInt(2);
          }
        });
        assertThat(version).isPositive();
        opened.forEach(PostgresDatabase::close);
      } finally {
        threads.shutdownNow();
      }
    }
  }
}
