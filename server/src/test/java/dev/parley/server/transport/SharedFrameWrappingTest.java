package dev.parley.server.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.session.SharedFrame;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;

/** A message fanned out to many connections is encoded once: every connection's write is a view of the same bytes. */
class SharedFrameWrappingTest {
  private static final FrameCodec CODEC = new FrameCodec();

  private final SharedFrame<ServerFrame.Message> shared =
      new SharedFrame<>(new ServerFrame.Message(7, "李雷", "韩梅梅", "你好，世界", 1_700_000_000_000L));

  @Test
  void everyTcpConnectionWritesTheSameLineBytes() {
    LineEncoder encoder = new LineEncoder(CODEC);
    ByteBuf first = (ByteBuf) encoder.wrap(shared);
    ByteBuf second = (ByteBuf) encoder.wrap(shared);

    assertThat(first.array()).isSameAs(second.array());
    assertThat(first.toString(UTF_8)).isEqualTo(CODEC.encodeToString(shared.frame()) + "\n");
    first.release();
    assertThat(second.toString(UTF_8)).as("one connection's write leaves the others' intact")
        .isEqualTo(CODEC.encodeToString(shared.frame()) + "\n");
  }

  @Test
  void webSocketConnectionsWriteTheSameBytesWithoutTheLineFeed() throws Exception {
    WebSocketFrames.TextEncoder encoder = new WebSocketFrames.TextEncoder(CODEC);
    TextWebSocketFrame first = (TextWebSocketFrame) encoder.wrap(shared);
    TextWebSocketFrame second = (TextWebSocketFrame) encoder.wrap(shared);
    ByteBuf line = (ByteBuf) new LineEncoder(CODEC).wrap(shared);

    assertThat(first.content().array()).isSameAs(second.content().array()).isSameAs(line.array());
    assertThat(first.text()).isEqualTo(CODEC.encodeToString(shared.frame()));
    assertThat(CODEC.decodeServer(first.text())).isEqualTo(shared.frame());
  }
}
