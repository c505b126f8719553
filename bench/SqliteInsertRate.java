import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Types;

/**
 * The durable insert rate SQLite gives the message path on this machine, from Java, with what the
 * path really needs (issue 16: "treat the best durable insert rate you can reach … as the limit"):
 * ROWS messages into the store's messages table (its columns, 1 KiB pages, WAL,
 * synchronous=FULL), PER_COMMIT rows a transaction as the group commit takes them, in multi-row
 * INSERTs of 64 rows kept prepared, as SqlMessageStore writes them, over 100 conversations and
 * 200 senders with counting client ids and 64-character texts. SHAPE is what is indexed:
 * {@code table} (the primary key only), {@code conversation} (plus the (conversation_id, seq)
 * index every history page needs) or {@code store} (plus the store's two partial indexes). No
 * search index, no cursors, no network: a bound, not a server. Prints rows/s (wall), CPU µs and
 * bytes written per row.
 *
 *   java -cp app/target/parley.jar bench/SqliteInsertRate.java SHAPE ROWS PER_COMMIT
 *   e.g. for s in table conversation store; do java -cp app/target/parley.jar bench/SqliteInsertRate.java $s 300000 512; done
 */
public final class SqliteInsertRate {
  private static final int ROWS_PER_STATEMENT = 64;

  public static void main(String[] args) throws Exception {
    String shape = args[0];
    int rows = Integer.parseInt(args[1]);
    int perCommit = Integer.parseInt(args[2]);
    try (ScratchDatabase database = new ScratchDatabase("parley-insert-rate")) {
      Connection connection = database.connection;
      database.execute("""
          CREATE TABLE messages (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id INTEGER NOT NULL, sender_id INTEGER NOT NULL,
            recipient_id INTEGER, client_id TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL,
            file_id TEXT, n INTEGER NOT NULL DEFAULT 0, event_kind TEXT, event_user_id INTEGER, edits INTEGER,
            deletes INTEGER, edited_at INTEGER, deleted_at INTEGER, mentions TEXT)""");
      if (!shape.equals("table")) {
        database.execute("CREATE INDEX messages_by_conversation ON messages(conversation_id, seq)");
      }
      if (shape.equals("store")) {
        database.execute("CREATE INDEX messages_by_file ON messages(file_id) WHERE file_id IS NOT NULL");
        database.execute("CREATE INDEX deleted_messages ON messages(conversation_id, n) WHERE deleted_at IS NOT NULL");
      }
      connection.setAutoCommit(false);
      StringBuilder sql = new StringBuilder(
          "INSERT INTO messages(conversation_id, n, sender_id, recipient_id, client_id, body, file_id, mentions, created_at) VALUES ");
      for (int i = 0; i < ROWS_PER_STATEMENT; i++) {
        sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?)");
      }
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long writtenBefore = ScratchDatabase.writtenBytes();
      long cpuBefore = threads.getCurrentThreadCpuTime();
      long began = System.nanoTime();
      long seq = 0;
      try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
        while (seq < rows) {
          for (int inCommit = 0; inCommit < perCommit && seq < rows; inCommit += ROWS_PER_STATEMENT) {
            int parameter = 1;
            for (int i = 0; i < ROWS_PER_STATEMENT; i++) {
              seq++;
              long sender = seq % 200;
              insert.setLong(parameter++, sender / 2);
              insert.setLong(parameter++, seq / 100);
              insert.setLong(parameter++, sender);
              insert.setLong(parameter++, sender ^ 1);
              insert.setString(parameter++, Long.toString(seq / 200));
              insert.setString(parameter++, ScratchDatabase.text(seq));
              insert.setNull(parameter++, Types.VARCHAR);
              insert.setNull(parameter++, Types.VARCHAR);
              insert.setLong(parameter++, System.currentTimeMillis());
            }
            insert.executeUpdate();
          }
          connection.commit();
        }
      }
      double seconds = (System.nanoTime() - began) / 1e9;
      long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
      System.out.printf("%s, %d rows, %d a commit: %,.0f rows/s, %.1f µs CPU and %d B written per row%n",
          shape, seq, perCommit, seq / seconds, cpu / 1e3 / seq, (ScratchDatabase.writtenBytes() - writtenBefore) / seq);
    }
  }
}
