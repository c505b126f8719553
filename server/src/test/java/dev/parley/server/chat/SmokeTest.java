package dev.parley.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.LineClient;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void aliceSendsBobAMessage() {
    try (TestServer server = TestServer.start()) {
      Http http = new Http(server.http());
      String alice = http.registerAndLogin("alice", "secret123");
      String bob = http.registerAndLogin("张三", "secret123");
      try (LineClient a = LineClient.connect(server.tcpPort());
          WsClient b = WsClient.connect(server.webSocket(), Map.of("Authorization", "Bearer " + bob))) {
        assertThat(b.next(ServerFrame.Welcome.class).username()).isEqualTo("张三");
        a.auth(alice, null);
        ServerFrame.Ack ack = a.sendMessage("m1", "张三", "你好");
        ServerFrame.Message message = b.next(ServerFrame.Message.class);
        assertThat(message).isEqualTo(new ServerFrame.Message(ack.seq(), "alice", "张三", "你好", ack.ts()));
      }
    }
  }
}
