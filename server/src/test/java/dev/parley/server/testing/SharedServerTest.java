package dev.parley.server.testing;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the frame-protocol tests whose tests share the class's one server and tell their data
 * apart by giving each test fresh users: keeps that server and its {@link TestUsers}, names users
 * uniquely, and connects them. Test classes run one after another, so the fields hold the server
 * of the class that is running.
 */
@ParleyServerTest
public abstract class SharedServerTest {
  private static final AtomicInteger NAMES = new AtomicInteger();
  protected static TestServer server;
  protected static TestUsers users;

  @BeforeAll
  static void keepTheServer(TestServer testServer, TestUsers testUsers) {
    server = testServer;
    users = testUsers;
  }

  /** The prefix followed by a number no other call has returned. */
  protected static String unique(String prefix) {
    return prefix + NAMES.incrementAndGet();
  }

  /** A new logged-in user whose name is the prefix made unique. */
  protected static TestUser user(String prefix) {
    return users.create(unique(prefix));
  }

  /** A TCP connection authenticated as the user, its welcome already read. */
  protected static FrameClient connect(TestUser user) {
    return Transport.TCP.connect(server, user.token(), null);
  }

  /** Sends the request and returns the error that answers it (the one that echoes its id). */
  protected static ServerFrame.Error error(FrameClient client, ClientFrame request) {
    client.send(request);
    return client.nextMatching(ServerFrame.Error.class, e -> request.id().equals(e.id()));
  }
}
