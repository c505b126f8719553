package dev.parley.app.bench;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One TCP line connection of the load generator: Parley's line protocol, authenticated by {@link
 * #open}, or any line protocol after {@link #connect}. Writes come from one thread and reads from
 * another; {@link #close} may come from any.
 */
final class BenchConnection implements AutoCloseable {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** {@code since} past any seq: the connection gets live messages only, no replay. */
  private static final long NO_REPLAY = Long.MAX_VALUE;

  private final Socket socket;
  private final BufferedReader in;
  private final OutputStream out;
  private volatile boolean closing;

  private BenchConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8), 64 * 1024);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
  }

  /** Connects and authenticates with {@code token}; returns once the welcome has arrived. */
  static BenchConnection open(InetSocketAddress server, BenchUser user) {
    BenchConnection connection = connect(server);
    try {
      connection.write("{\"type\":\"auth\",\"token\":\"" + user.token() + "\",\"since\":" + NO_REPLAY + "}\n");
      connection.flush();
      String reply = connection.readLine();
      if (reply == null || !reply.contains("\"type\":\"welcome\"")) {
        connection.close();
        throw new IllegalStateException("auth as " + user.username() + " refused: " + reply);
      }
      return connection;
    } catch (IOException e) {
      connection.close();
      throw new UncheckedIOException("cannot authenticate to " + server + " as " + user.username(), e);
    }
  }

  /** A connection on which nothing has been sent yet, for any line protocol. */
  static BenchConnection connect(InetSocketAddress server) {
    Socket socket = new Socket();
    try {
      // Nagle would hold back each small frame waiting for the previous one's ACK.
      socket.setTcpNoDelay(true);
      socket.connect(server, (int) CONNECT_TIMEOUT.toMillis());
      // A handshake reply that does not come in this time will not come; readLines lifts it.
      socket.setSoTimeout((int) CONNECT_TIMEOUT.toMillis());
      return new BenchConnection(socket);
    } catch (IOException e) {
      closeQuietly(socket);
      throw new UncheckedIOException("cannot connect to " + server, e);
    }
  }

  /** One line, or null at the end; for a handshake, before {@link #readLines} takes over. */
  String readLine() throws IOException {
    return in.readLine();
  }

  /** Buffers a line; it leaves at the next {@link #flush}. */
  void write(String line) throws IOException {
    out.write(line.getBytes(StandardCharsets.UTF_8));
  }

  void flush() throws IOException {
    out.flush();
  }

  /**
   * Hands every line to {@code onLine} until the connection ends; {@code onClosed} learns whether
   * the server ended it (rather than {@link #close}).
   */
  void readLines(Consumer<String> onLine, Consumer<Boolean> onClosed) {
    try {
      socket.setSoTimeout(0);
      String line;
      while ((line = in.readLine()) != null) {
        onLine.accept(line);
      }
    } catch (IOException e) {
      // A reset is an end like any other; whether it was expected is decided below.
    }
    onClosed.accept(!closing);
  }

  @Override
  public void close() {
    closing = true;
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing left to do with a socket that will not close.
    }
  }
}
