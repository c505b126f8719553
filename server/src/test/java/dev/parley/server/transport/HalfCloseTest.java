package dev.parley.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ByeReason;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code printf 'login…\nsend…\n' | nc -N host 7070}: the client shuts down its sending side. */
class HalfCloseTest {
  private static final FrameCodec CODEC = new FrameCodec();

  @Test
  void framesSentBeforeAHalfCloseAreAnsweredAndStored() throws Exception {
    try (TestServer server = TestServer.start()) {
      Http http = new Http(server.http());
      http.registerAndLogin("hank", "secret123");
      String ida = http.registerAndLogin("ida", "secret123");
      List<ServerFrame> replies = new ArrayList<>();
      try (Socket socket = new Socket("127.0.0.1", server.tcpPort())) {
        socket.setSoTimeout((int) FrameClient.TIMEOUT.toMillis());
        socket.getOutputStream().write(
            ("{\"type\":\"login\",\"id\":\"l\",\"username\":\"hank\",\"password\":\"secret123\"}\n"
                    + "{\"type\":\"send\",\"id\":\"s1\",\"to\":\"ida\",\"text\":\"piped in\"}\n")
                .getBytes(StandardCharsets.UTF_8));
        socket.shutdownOutput();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          replies.add(CODEC.decodeServer(line));
        }
      }
      assertThat(replies).hasSize(3);
      assertThat(replies.get(0)).isInstanceOfSatisfying(ServerFrame.Welcome.class, w -> assertThat(w.username()).isEqualTo("hank"));
      assertThat(replies.get(1)).isInstanceOfSatisfying(ServerFrame.Ack.class, a -> assertThat(a.id()).isEqualTo("s1"));
      assertThat(replies.get(2)).isEqualTo(new ServerFrame.Bye(null, ByeReason.END_OF_INPUT));
      assertThat(http.get("/api/v1/messages?with=hank", ida).body().get("messages").get(0).get("text").asText())
          .isEqualTo("piped in");
    }
  }
}
