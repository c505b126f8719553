package dev.parley.server.transport;

import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.session.SharedFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;

/**
 * Unwraps WebSocket messages into the bytes {@link FrameHandler} reads, the same as a TCP line:
 * a text message's payload is one frame. Control frames are answered here.
 */
final class WebSocketFrames extends MessageToMessageDecoder<WebSocketFrame> {
  static final String TRANSPORT = "websocket";

  WebSocketFrames() {
    super(WebSocketFrame.class);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
    switch (frame) {
      // Unlike a blank TCP line (a keep-alive), an empty text message is a frame with nothing in it.
      case TextWebSocketFrame text when FrameHandler.isBlank(text.content()) ->
          ctx.fireUserEventTriggered(new FrameHandler.NotAFrame("empty frame"));
      case TextWebSocketFrame text -> out.add(text.content().retain());
      case BinaryWebSocketFrame binary ->
          ctx.fireUserEventTriggered(new FrameHandler.NotAFrame("frames are JSON in text messages, not binary"));
      case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      case CloseWebSocketFrame close ->
          ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE)).addListener(ChannelFutureListener.CLOSE);
      default -> { }
    }
  }

  /** A frame is one text message; goodbye is a close frame. */
  record TextEncoder(FrameCodec codec) implements ChannelOutbound.Encoder {
    @Override
    public Object encode(ServerFrame frame, ByteBufAllocator allocator) {
      ByteBuf buffer = allocator.ioBuffer(256);
      codec.encode(frame, new ByteBufOutputStream(buffer));
      return new TextWebSocketFrame(buffer);
    }

    @Override
    public Object wrap(SharedFrame<?> frame) {
      byte[] line = frame.line(codec);
      return new TextWebSocketFrame(Unpooled.wrappedBuffer(line, 0, line.length - 1));
    }

    @Override
    public void close(Channel channel) {
      channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
          .addListener(ChannelFutureListener.CLOSE);
    }
  }
}
