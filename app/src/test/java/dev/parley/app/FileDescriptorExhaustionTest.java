package dev.parley.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server process under a small open-files limit ({@code ulimit -n}): by default it refuses
 * connections with {@code server_full} before it runs out of descriptors; made to run out anyway,
 * it keeps serving the connections it has, does not spin or flood its log, and accepts again once
 * descriptors free up.
 */
class FileDescriptorExhaustionTest {
  /**
   * The server's own descriptors (jars, native libraries, event loops, database connections) take
   * about a hundred of these; the rest are for connections.
   */
  private static final int OPEN_FILES = 256;
  /** More than the process can hold, so that accept itself fails with EMFILE. */
  private static final int USERS = OPEN_FILES;
  /** Clock ticks per second of /proc/PID/stat (USER_HZ, 100 on Linux). */
  private static final int TICKS_PER_SECOND = 100;

  @TempDir Path temp;
  private final List<Client> clients = new ArrayList<>();

  @AfterEach
  void closeClients() {
    clients.forEach(Client::close);
  }

  @Test
  void outOfDescriptorsTheServerKeepsItsConnectionsLogsOnceDoesNotSpinAndRecovers() throws Exception {
    Path dataDir = Files.createDirectories(temp.resolve("data"));
    List<String> tokens = usersWithTokens(dataDir);
    // max-connections above the descriptor limit: the server really meets EMFILE in accept.
    Files.writeString(dataDir.resolve("parley.properties"), "max-connections=10000\n");
    try (ServerProcess server = ServerProcess.startWithOpenFilesLimit(dataDir, temp.resolve("server.log"), OPEN_FILES)) {
      Client pending = null;
      for (String token : tokens) {
        Client client = new Client(server.tcpPort());
        if (!client.authenticates(token)) {
          pending = client; // connected in the kernel's backlog, never accepted
          break;
        }
        clients.add(client);
      }
      assertThat(pending).as("the server ran out of descriptors before %d connections", USERS).isNotNull();
      assertThat(clients.size()).isGreaterThan(OPEN_FILES / 2);

      long ticks = cpuTicks(server);
      long started = System.nanoTime();
      // For 3 s while it cannot accept, the server keeps answering the connections it has...
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).pollInSameThread()
          .pollInterval(Duration.ofMillis(500))
          .until(() -> clients.getFirst().pings() && clients.getLast().pings());
      // ...and does not spin: at most a sixth of a core, as 0.5 s of CPU in 3 s.
      double seconds = (System.nanoTime() - started) / 1e9;
      assertThat(cpuTicks(server) - ticks).as("CPU ticks in %.1f s", seconds).isLessThan((long) (seconds * TICKS_PER_SECOND / 6));

      for (int i = 0; i < 10; i++) {
        clients.removeLast().close();
      }
      // The server retries accept every second; the waiting connection gets in.
      assertThat(pending.welcomed(10_000)).isTrue();
      clients.add(pending);

      String log = server.log();
      assertThat(count(log, "cannot accept connections")).as(log).isEqualTo(1);
      assertThat(count(log, "Too many open files")).as(log).isEqualTo(1);
      assertThat(count(log, "accepting connections again")).as(log).isEqualTo(1);
    }
  }

  @Test
  void underTheDefaultLimitTheServerRefusesWithServerFullBeforeItRunsOutOfDescriptors() throws Exception {
    Path dataDir = Files.createDirectories(temp.resolve("data"));
    List<String> tokens = usersWithTokens(dataDir);
    try (ServerProcess server = ServerProcess.startWithOpenFilesLimit(dataDir, temp.resolve("server.log"), OPEN_FILES)) {
      // The default depends on how many descriptors the JVM holds (a test classpath's jars): the server logs it.
      Matcher announced = Pattern.compile("max-connections (\\d+)").matcher(server.log());
      assertThat(announced.find()).as(server.log()).isTrue();
      int maxConnections = Integer.parseInt(announced.group(1));
      assertThat(maxConnections).isBetween(10, OPEN_FILES);
      String refusal = null;
      for (String token : tokens) {
        Client client = new Client(server.tcpPort());
        clients.add(client);
        String reply = client.authenticate(token);
        if (!reply.contains("\"type\":\"welcome\"")) {
          refusal = reply;
          break;
        }
      }

      assertThat(refusal).contains("\"code\":\"server_full\"");
      assertThat(clients).hasSize(maxConnections + 1);
      assertThat(clients.getFirst().pings()).isTrue();
      String log = server.log();
      assertThat(count(log, "max-connections (" + maxConnections + ") reached")).as(log).isEqualTo(1);
      assertThat(log).doesNotContain("Too many open files");
    }
  }

  private static long cpuTicks(ServerProcess server) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(server.process().pid()), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  private List<String> usersWithTokens(Path dataDir) {
    return List.copyOf(BenchSetup.tokensByUser(BenchSetup.usersWithTokens(temp, dataDir, USERS)).values());
  }

  /** A blocking line-protocol client, enough to authenticate and ping. */
  private static final class Client implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final BufferedReader in;

    Client(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      out = socket.getOutputStream();
      in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
    }

    /** Sends auth; whether the welcome comes within 2 s (it does not while the server cannot accept). */
    boolean authenticates(String token) throws IOException {
      return authenticate(token).contains("\"type\":\"welcome\"");
    }

    /** Sends auth; the reply, or "" if none comes within 2 s. */
    String authenticate(String token) throws IOException {
      out.write(("{\"type\":\"auth\",\"token\":\"" + token + "\",\"since\":" + Long.MAX_VALUE + "}\n").getBytes(UTF_8));
      out.flush();
      return nextLine(2_000);
    }

    boolean welcomed(int timeoutMillis) throws IOException {
      return nextLine(timeoutMillis).contains("\"type\":\"welcome\"");
    }

    boolean pings() throws IOException {
      out.write("{\"type\":\"ping\",\"id\":\"p\"}\n".getBytes(UTF_8));
      out.flush();
      return nextLine(10_000).equals("{\"type\":\"pong\",\"id\":\"p\"}");
    }

    private String nextLine(int timeoutMillis) throws IOException {
      socket.setSoTimeout(timeoutMillis);
      try {
        String line = in.readLine();
        return line == null ? "" : line;
      } catch (SocketTimeoutException e) {
        return "";
      }
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // Closing is all that is left to do.
      }
    }
  }
}
