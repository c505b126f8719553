package dev.parley.bench.load;

import dev.parley.protocol.MalformedFrameException;
import dev.parley.protocol.ServerFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * A Parley server's TCP line protocol, as the users of a token file: connection {@code i} is
 * {@code users.get(i)}. A message is a {@code send} frame whose {@code text} is the bench text;
 * frames go through {@link ParleyLineCodec}.
 */
public record ParleyTarget(InetSocketAddress server, SSLContext tls, List<BenchUser> users) implements MessageTarget {
  public ParleyTarget {
    users = List.copyOf(users);
  }

  @Override
  public String name() {
    return (tls == null ? "parley://" : "parley+tls://") + server.getHostString() + ":" + server.getPort();
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
          connections + " connections need " + connections + " users; the token file has " + users.size());
    }
  }

  @Override
  public MessageConnection open(int index, String runTag) {
    BenchUser user = users.get(index);
    return new Connection(BenchConnection.open(server, tls, user), user.username(), runTag);
  }

  /**
   * The first member creates a private room with the others as members; the server delivers its
   * membership entries to them, which their connections pass over.
   */
  @Override
  public String gather(List<MessageConnection> members, String runTag) {
    List<String> others = members.subList(1, members.size()).stream().map(MessageConnection::address).toList();
    Connection creator = (Connection) members.getFirst();
    String requestId = runTag + "room";
    try {
      creator.lines().write(ParleyLineCodec.createRoom(requestId, "bench " + runTag, others) + "\n");
      creator.lines().flush();
      String line;
      while ((line = creator.lines().readLine()) != null) {
        switch (ParleyLineCodec.decode(line)) {
          case ServerFrame.Room room when requestId.equals(room.id()) -> {
            return room.room().room();
          }
          case ServerFrame.Message entry when entry.event() != null -> {}
          default -> throw new IllegalStateException("create_room as " + creator.address() + " refused: " + line);
        }
      }
      throw new IllegalStateException("the server closed the connection of " + creator.address() + " while creating the room");
    } catch (MalformedFrameException e) {
      throw new IllegalStateException("create_room answered with no frame: " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a room as " + creator.address(), e);
    }
  }

  private record Connection(BenchConnection lines, String address, String runTag) implements MessageConnection {
    @Override
    public void write(String to, long seq, String text) {
      // The server treats a repeated send id as a retry and does not deliver it again, so ids
      // carry the run's tag: they must not repeat across runs on the same users.
      lines.write(ParleyLineCodec.send(runTag + seq, to, text) + "\n");
    }

    @Override
    public void writeToGroup(String room, long seq, String text) {
      lines.write(ParleyLineCodec.sendToRoom(runTag + seq, room, text) + "\n");
    }

    @Override
    public void start(LineLoop loop, Listener listener) {
      lines.attach(loop, line -> classify(line, listener), listener::onClosed);
    }

    private static void classify(String line, Listener listener) {
      ServerFrame frame;
      try {
        frame = ParleyLineCodec.decode(line);
      } catch (MalformedFrameException e) {
        listener.onUnexpected(line);
        return;
      }
      switch (frame) {
        case ServerFrame.Ack ack -> {}
        case ServerFrame.Message message when message.text() != null -> listener.onMessage(message.text(), 0);
        // A room's membership entries (its creation, members added) are not the workload's.
        case ServerFrame.Message entry when entry.event() != null -> {}
        default -> listener.onUnexpected(line);
      }
    }

    @Override
    public void close() {
      lines.close();
    }
  }
}
