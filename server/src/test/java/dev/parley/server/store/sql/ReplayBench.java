package dev.parley.server.store.sql;

import dev.parley.server.store.sqlite.SqliteDatabase;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.parley.protocol.EventKind;
import dev.parley.server.store.NewMessage;
import dev.parley.server.store.RoomChange;
import dev.parley.server.store.User;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Measures a replay from {@code since=0} of a large backlog, end to end: a real server on a
 * database holding {@code N} messages to one reader (a room and nine direct partners, so the
 * replay merges ten conversations), read by a raw TCP client that only counts lines. Run by hand
 * (docs/BENCHMARKS.md has the command and the figures).
 */
public final class ReplayBench {
  private static final int BATCH = 512;

  private ReplayBench() {}

  public static void main(String[] args) throws Exception {
    int total = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path dir = Files.createTempDirectory("parley-replay-bench");
    String token;
    try (TestServer server = TestServer.startOn(dir, Map.of())) {
      TestUsers users = new TestUsers(server);
      token = users.create("reader").token();
      for (int i = 0; i < 9; i++) {
        users.create("writer" + i);
      }
    }
    long filled = System.nanoTime();
    try (SqlStores stores = new SqlStores(SqliteDatabase.open(dir))) {
      User reader = stores.users().findByKey("reader").orElseThrow();
      List<User> writers = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        writers.add(stores.users().findByKey("writer" + i).orElseThrow());
      }
      stores.messages().appendAll(List.of(
          new NewMessage(writers.get(0).id(), 0, "benchroom", "create", null, null,
              new RoomChange(EventKind.CREATED, writers.get(0).id(), "bench", false), 0),
          new NewMessage(writers.get(0).id(), 0, "benchroom", "add", null, null,
              new RoomChange(EventKind.ADDED, reader.id(), null, false), 0)), List.of());
      List<NewMessage> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < total - 2; i++) {
        User writer = writers.get(i % writers.size());
        String text = "backlog message " + i + " with a little text in it";
        batch.add(i % 10 == 9
            ? new NewMessage(writer.id(), 0, "benchroom", "m" + i, text, null, null, i)
            : NewMessage.text(writer.id(), reader.id(), "m" + i, text, i));
        if (batch.size() == BATCH) {
          stores.messages().appendAll(batch, List.of());
          batch.clear();
        }
      }
      stores.messages().appendAll(batch, List.of());
    }
    System.out.printf("filled %d messages in %.1f s%n", total, (System.nanoTime() - filled) / 1e9);

    try (TestServer server = TestServer.startOn(dir, Map.of());
        Socket socket = new Socket("127.0.0.1", server.tcpPort())) {
      socket.setTcpNoDelay(true);
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8), 1 << 16);
      OutputStream out = socket.getOutputStream();
      long started = System.nanoTime();
      out.write(("{\"type\":\"auth\",\"token\":\"" + token + "\",\"since\":0}\n").getBytes(UTF_8));
      out.flush();
      // Everything but the room's "created" entry, which came before the reader was added.
      int expected = total - 1;
      int messages = 0;
      while (messages < expected) {
        String line = in.readLine();
        if (line == null) {
          throw new IllegalStateException("connection closed after " + messages);
        }
        if (line.startsWith("{\"type\":\"message\"")) {
          messages++;
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf("replayed %d messages from since=0 in %.1f s: %d msg/s%n", messages, seconds, Math.round(messages / seconds));
    } finally {
      TestServer.deleteRecursively(dir);
    }
  }
}
