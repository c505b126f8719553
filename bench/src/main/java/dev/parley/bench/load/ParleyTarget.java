package dev.parley.bench.load;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A Parley server's TCP line protocol, as the users of a token file: connection {@code i} is
 * {@code users.get(i)}. A message is a {@code send} frame whose {@code text} is the bench text.
 */
public record ParleyTarget(InetSocketAddress server, List<BenchUser> users) implements MessageTarget {
  private static final String TEXT_FIELD = "\"text\":\"";

  public ParleyTarget {
    users = List.copyOf(users);
  }

  @Override
  public String name() {
    return "parley://" + server.getHostString() + ":" + server.getPort();
  }

  /** Without the users: their tokens are live credentials and must not reach a log. */
  @Override
  public String toString() {
    return name() + " (" + users.size() + " users)";
  }

  @Override
  public void checkWorkload(int connections, int sizeBytes) {
    if (users.size() < connections) {
      throw new IllegalArgumentException(
          connections / 2 + " pairs need " + connections + " users; the token file has " + users.size());
    }
  }

  @Override
  public MessageConnection open(int index, String runTag) {
    BenchUser user = users.get(index);
    return new Connection(BenchConnection.open(server, user), user.username(), runTag);
  }

  private record Connection(BenchConnection lines, String address, String runTag) implements MessageConnection {
    @Override
    public void write(String to, long seq, String text) {
      // The server treats a repeated send id as a retry and does not deliver it again, so ids
      // carry the run's tag: they must not repeat across runs on the same users.
      lines.write("{\"type\":\"send\",\"id\":\"" + runTag + seq + "\",\"to\":\"" + to + "\",\"text\":\"" + text + "\"}\n");
    }

    @Override
    public void start(LineLoop loop, Listener listener) {
      lines.attach(loop, line -> classify(line, listener), listener::onClosed);
    }

    /**
     * A substring scan instead of a JSON parser: the generator shares the CPU with the server,
     * and the bench texts hold only digits, spaces and 'x', so they need no unescaping.
     */
    private static void classify(String line, Listener listener) {
      if (line.contains("\"type\":\"ack\"")) {
        return;
      }
      int text = line.indexOf(TEXT_FIELD);
      if (line.contains("\"type\":\"message\"") && text >= 0) {
        listener.onMessage(line, text + TEXT_FIELD.length());
      } else {
        listener.onUnexpected(line);
      }
    }

    @Override
    public void close() {
      lines.close();
    }
  }
}
