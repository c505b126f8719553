import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;

/**
 * A throwaway SQLite database opened as the store opens its own (1 KiB pages, WAL,
 * synchronous=FULL), for the harnesses beside it (SearchIndexCost, SqliteInsertRate), which the
 * Java launcher compiles with it: {@code java -cp app/target/parley.jar bench/X.java}. Deleted with
 * its directory on close.
 */
final class ScratchDatabase implements AutoCloseable {
  private static final String PADDING = "x".repeat(64);

  final Path dir;
  final Connection connection;

  ScratchDatabase(String name) throws IOException, SQLException {
    dir = Files.createTempDirectory(name);
    connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("parley.db"));
    execute("PRAGMA page_size = 1024");
    execute("PRAGMA journal_mode = WAL");
    execute("PRAGMA synchronous = FULL");
  }

  void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** As `parley bench messages`' texts: the sender's sequence number and clock, padded to 64 characters. */
  static String text(long seq) {
    String head = seq + " " + System.nanoTime() + " ";
    return head + PADDING.substring(Math.min(head.length(), PADDING.length()));
  }

  /** What this process has written to disk so far ({@code /proc/self/io}). */
  static long writtenBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
      if (line.startsWith("write_bytes")) {
        return Long.parseLong(line.substring(line.indexOf(' ') + 1).trim());
      }
    }
    return 0;
  }

  @Override
  public void close() throws IOException, SQLException {
    connection.close();
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
