package dev.parley.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ByeReason;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.ServerSetting;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ParleyServerTest
class LifecycleTest {
  @ParameterizedTest
  @EnumSource(Transport.class)
  @ServerSetting(key = "idle-timeout-seconds", value = "1")
  void idleConnectionsAreToldAndClosed(Transport transport, TestServer server) {
    try (FrameClient client = transport.connect(server)) {
      assertThat(client.next()).isEqualTo(new ServerFrame.Bye(null, ByeReason.IDLE));
      client.awaitClosed();
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void shutdownSaysByeToEveryConnection(Transport transport) {
    TestServer server = TestServer.start();
    String token = new TestUsers(server).create("uma").token();
    try (FrameClient authenticated = transport.connect(server, token, null);
        FrameClient anonymous = transport.connect(server)) {
      server.close();
      for (FrameClient client : List.of(authenticated, anonymous)) {
        assertThat(client.next()).isEqualTo(new ServerFrame.Bye(null, ByeReason.SHUTDOWN));
        client.awaitClosed();
      }
    }
  }

  @Test
  void everythingSurvivesARestartOnTheSameDataDirectory() throws Exception {
    Path dataDir = Files.createTempDirectory("parley-restart");
    List<Long> acked = new ArrayList<>();
    String token;
    try (TestServer first = TestServer.startOn(dataDir, Map.of())) {
      TestUsers users = new TestUsers(first);
      token = users.create("victor").token();
      users.create("wendy");
      try (FrameClient victor = Transport.TCP.connect(first, token, null)) {
        for (int i = 0; i < 10; i++) {
          acked.add(victor.sendMessage("v" + i, "wendy", "before restart " + i).seq());
        }
      }
    }
    try (TestServer second = TestServer.startOn(dataDir, Map.of());
        FrameClient victor = Transport.TCP.connect(second, token, null)) {
      victor.send(new ClientFrame.History("h", "wendy", null, 100));
      assertThat(victor.next(ServerFrame.History.class).messages())
          .extracting(ServerFrame.Message::seq)
          .isEqualTo(acked);
      assertThat(victor.sendMessage("after", "wendy", "after restart").seq()).isGreaterThan(acked.getLast());
    } finally {
      TestServer.deleteRecursively(dataDir);
    }
  }
}
