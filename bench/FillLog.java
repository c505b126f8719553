import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Fills a Parley data directory's SQLite log for the history and start benchmarks
 * (bench/history-and-start-two-builds.sh): {@code ONE} messages between users u1 and u2, then
 * {@code TOTAL - ONE} more among pairs of u3..u102, each with its search index row, as the store
 * writes them; the directory's users come from {@code parley admin create-users}. Straight SQL in
 * transactions of 10,000 rows: the store's own append path would take hours for 10M on a busy machine.
 *
 *   java -cp parley.jar bench/FillLog.java DATA_DIR TOTAL ONE
 */
public final class FillLog {
  private static final int ROWS_PER_TRANSACTION = 10_000;
  private static final int OTHER_PAIRS = 50;

  public static void main(String[] args) throws Exception {
    String url = "jdbc:sqlite:" + args[0] + "/parley.db";
    long total = Long.parseLong(args[1]);
    long one = Long.parseLong(args[2]);
    try (Connection connection = DriverManager.getConnection(url)) {
      connection.setAutoCommit(false);
      long[] users = new long[102];
      try (PreparedStatement query = connection.prepareStatement("SELECT id FROM users WHERE username = ?")) {
        for (int i = 0; i < users.length; i++) {
          query.setString(1, "u" + (i + 1));
          try (ResultSet rows = query.executeQuery()) {
            rows.next();
            users[i] = rows.getLong(1);
          }
        }
      }
      long[][] pairs = new long[OTHER_PAIRS + 1][];
      pairs[0] = new long[] {users[0], users[1], conversation(connection, users[0], users[1])};
      for (int p = 1; p <= OTHER_PAIRS; p++) {
        pairs[p] = new long[] {users[2 * p], users[2 * p + 1], conversation(connection, users[2 * p], users[2 * p + 1])};
      }
      long[] lastN = new long[pairs.length];
      long[] lastSeq = new long[pairs.length];
      try (PreparedStatement message = connection.prepareStatement(
              "INSERT INTO messages(seq, conversation_id, n, sender_id, recipient_id, client_id, body, created_at) "
                  + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
          PreparedStatement search = connection.prepareStatement("INSERT INTO message_search(rowid, body) VALUES (?, ?)")) {
        long now = System.currentTimeMillis() - total;
        for (long seq = 1; seq <= total; seq++) {
          int p = seq <= one ? 0 : 1 + (int) (seq % OTHER_PAIRS);
          long[] pair = pairs[p];
          boolean forth = seq % 2 == 0;
          String text = "message " + seq + " 你好，今天下午三点开会 with a little text in it";
          message.setLong(1, seq);
          message.setLong(2, pair[2]);
          message.setLong(3, ++lastN[p]);
          message.setLong(4, forth ? pair[0] : pair[1]);
          message.setLong(5, forth ? pair[1] : pair[0]);
          message.setString(6, "c" + seq);
          message.setString(7, text);
          message.setLong(8, now + seq);
          message.addBatch();
          search.setLong(1, seq);
          search.setString(2, text);
          search.addBatch();
          lastSeq[p] = seq;
          if (seq % ROWS_PER_TRANSACTION == 0 || seq == total) {
            message.executeBatch();
            search.executeBatch();
            connection.commit();
          }
        }
      }
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE conversations SET last_n = ?, last_seq = ? WHERE id = ?");
          PreparedStatement read = connection.prepareStatement(
              "UPDATE conversation_members SET read_n = ?, read_seq = ? WHERE conversation_id = ?")) {
        for (int p = 0; p < pairs.length; p++) {
          update.setLong(1, lastN[p]);
          update.setLong(2, lastSeq[p]);
          update.setLong(3, pairs[p][2]);
          update.executeUpdate();
          read.setLong(1, lastN[p]);
          read.setLong(2, lastSeq[p]);
          read.setLong(3, pairs[p][2]);
          read.executeUpdate();
        }
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute("UPDATE users SET delivered_seq = " + total);
      }
      connection.commit();
    }
  }

  private static long conversation(Connection connection, long a, long b) throws Exception {
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO conversations(kind, direct_key) VALUES ('direct', ?) RETURNING id")) {
      insert.setString(1, Math.min(a, b) + ":" + Math.max(a, b));
      long id;
      try (ResultSet rows = insert.executeQuery()) {
        rows.next();
        id = rows.getLong(1);
      }
      try (PreparedStatement member = connection.prepareStatement(
          "INSERT INTO conversation_members(conversation_id, user_id) VALUES (?, ?)")) {
        for (long user : new long[] {a, b}) {
          member.setLong(1, id);
          member.setLong(2, user);
          member.executeUpdate();
        }
      }
      return id;
    }
  }
}
