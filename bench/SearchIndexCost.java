import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;

/**
 * What indexing a message for search costs, outside the server (issue 16): ROWS messages shaped
 * like `parley bench messages`' texts go into the store's search table (FTS5, trigram,
 * contentless, on 1 KiB pages in WAL mode with synchronous=FULL, as SqliteDatabase opens it) in
 * transactions of PER_TRANSACTION rows, as SearchFollower's transactions (one statement per row
 * here, batched), each followed by the TRUNCATE checkpoint the store's WAL bound would take. SETTINGS are FTS5 options to set first,
 * e.g. automerge=16,crisismerge=64. Prints the CPU time and the bytes written per message, and
 * the largest WAL after one transaction: what one transaction can overshoot the bound by.
 *
 *   java -cp app/target/parley.jar bench/SearchIndexCost.java ROWS PER_TRANSACTION [SETTINGS]
 *   e.g. java -cp app/target/parley.jar bench/SearchIndexCost.java 200000 2048 automerge=16,crisismerge=64
 */
public final class SearchIndexCost {

  public static void main(String[] args) throws Exception {
    int rows = Integer.parseInt(args[0]);
    int perTransaction = Integer.parseInt(args[1]);
    String settings = args.length > 2 ? args[2] : "";
    try (ScratchDatabase database = new ScratchDatabase("parley-search-cost")) {
      Connection connection = database.connection;
      database.execute("CREATE VIRTUAL TABLE message_search USING fts5(body, content='', contentless_delete=1, tokenize='trigram')");
      for (String setting : settings.split(",")) {
        if (!setting.isEmpty()) {
          String[] keyValue = setting.split("=");
          database.execute("INSERT INTO message_search(message_search, rank) VALUES ('" + keyValue[0] + "', " + Integer.parseInt(keyValue[1]) + ")");
        }
      }
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long writtenBefore = ScratchDatabase.writtenBytes();
      long cpuBefore = threads.getCurrentThreadCpuTime();
      long largestWal = 0;
      for (long seq = 0; seq < rows; ) {
        int count = (int) Math.min(perTransaction, rows - seq);
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO message_search(rowid, body) VALUES (?, ?)")) {
          for (int i = 0; i < count; i++) {
            seq++;
            insert.setLong(1, seq);
            insert.setString(2, ScratchDatabase.text(seq));
            insert.addBatch();
          }
          insert.executeBatch();
        }
        connection.commit();
        connection.setAutoCommit(true);
        Path wal = database.dir.resolve("parley.db-wal");
        largestWal = Math.max(largestWal, Files.exists(wal) ? Files.size(wal) : 0);
        database.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
      System.out.printf("%d rows, %d per transaction, settings '%s': %.1f µs CPU and %d B written per row, largest WAL %d KiB%n",
          rows, perTransaction, settings, cpu / 1e3 / rows, (ScratchDatabase.writtenBytes() - writtenBefore) / rows, largestWal >> 10);
    }
  }
}
