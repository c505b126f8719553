package dev.parley.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ServerFrame;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Against a scripted server, since Parley itself never fragments what it sends. */
class FragmentedFramesTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void aTextMessageInFragmentsSplitMidCharacterArrivesWhole() throws Exception {
    byte[] message =
        "{\"type\":\"message\",\"seq\":7,\"from\":\"张三\",\"to\":\"alice\",\"text\":\"你好世界\",\"ts\":1}".getBytes(UTF_8);
    int insideHao = indexOf(message, "好".getBytes(UTF_8)) + 1;
    List<ServerFrame> frames = new CopyOnWriteArrayList<>();
    try (ScriptedWebSocketServer server = new ScriptedWebSocketServer(peer -> {
      assertThat(peer.requestHeader("authorization")).isEqualTo("Bearer t0ken");
      peer.frame(false, ScriptedWebSocketServer.TEXT, "{\"type\":\"wel".getBytes(UTF_8));
      peer.frame(true, ScriptedWebSocketServer.CONTINUATION, "come\",\"username\":\"alice\"}".getBytes(UTF_8));
      peer.text("{\"type\":\"from-the-future\",\"x\":1}");
      peer.frame(false, ScriptedWebSocketServer.TEXT, Arrays.copyOfRange(message, 0, 10));
      peer.frame(false, ScriptedWebSocketServer.CONTINUATION, Arrays.copyOfRange(message, 10, insideHao));
      peer.frame(true, ScriptedWebSocketServer.CONTINUATION, Arrays.copyOfRange(message, insideHao, message.length));
      peer.text("{\"type\":\"bye\",\"reason\":\"shutdown\"}");
      peer.frame(true, ScriptedWebSocketServer.CLOSE, new byte[] {0x03, (byte) 0xe8});
    })) {
      ParleyConnection connection = ParleyConnection.connect(server.base(), "t0ken", null, frames::add);

      Disconnect disconnect = connection.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
      server.done().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(connection.username()).isEqualTo("alice");
      assertThat(disconnect).isEqualTo(new Disconnect("shutdown", 1000, null));
      await().atMost(WAIT).untilAsserted(() -> assertThat(frames)
          .containsExactly(
              new ServerFrame.Welcome(null, "alice", null),
              new ServerFrame.Message(7, "张三", "alice", "你好世界", 1),
              new ServerFrame.Bye(null, "shutdown")));
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
