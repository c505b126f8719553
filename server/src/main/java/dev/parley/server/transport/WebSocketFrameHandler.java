package dev.parley.server.transport;

import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.MalformedFrameException;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.account.Authenticated;
import dev.parley.server.api.ClientConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Frames over WebSocket: one JSON frame per text message, each way. One instance per connection. */
final class WebSocketFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final Logger log = LoggerFactory.getLogger(WebSocketFrameHandler.class);
  static final String TRANSPORT = "websocket";

  private final TransportContext context;
  private ClientConnection connection;
  private ChannelOutbound outbound;

  WebSocketFrameHandler(TransportContext context) {
    this.context = context;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    outbound = new ChannelOutbound(ctx.channel(), new TextFrameEncoder(context.codec()), TRANSPORT, context.config().outboundQueueFrames());
    connection = new ClientConnection(context.services(), outbound);
    context.opened(ctx.channel(), connection, TRANSPORT);
  }

  void authenticatedAtUpgrade(Authenticated user, Long since) {
    connection.onAuthenticatedUpgrade(user, since);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    switch (frame) {
      case TextWebSocketFrame text -> {
        byte[] bytes = ByteBufUtil.getBytes(text.content());
        try {
          connection.onFrame(context.codec().decodeClient(bytes, 0, bytes.length));
        } catch (MalformedFrameException e) {
          connection.onMalformed(e);
        }
      }
      case BinaryWebSocketFrame binary -> connection.onBadRequest("frames are JSON in text messages, not binary");
      case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      case PongWebSocketFrame pong -> { }
      case CloseWebSocketFrame close ->
          ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE)).addListener(ChannelFutureListener.CLOSE);
      default -> connection.onBadRequest("unexpected WebSocket frame");
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      outbound.resume();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent) {
      connection.onIdle();
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    context.closed(ctx.channel(), TRANSPORT);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable root = cause.getCause() != null && !(cause instanceof TooLongFrameException) ? cause.getCause() : cause;
    if (root instanceof TooLongFrameException || isTooBig(root) || isTooBig(cause)) {
      connection.onTooLarge(context.config().maxFrameBytes());
    } else if (root instanceof CorruptedWebSocketFrameException) {
      ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.PROTOCOL_ERROR)).addListener(ChannelFutureListener.CLOSE);
    } else if (root instanceof IOException) {
      log.debug("connection {} failed: {}", ctx.channel(), root.toString());
      ctx.close();
    } else {
      log.warn("closing {} after an unexpected error", ctx.channel(), cause);
      ctx.close();
    }
  }

  private static boolean isTooBig(Throwable error) {
    return error instanceof CorruptedWebSocketFrameException corrupted
        && corrupted.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code();
  }

  private record TextFrameEncoder(FrameCodec codec) implements ChannelOutbound.Encoder {
    @Override
    public Object encode(ServerFrame frame, ByteBufAllocator allocator) {
      ByteBuf buffer = allocator.ioBuffer(256);
      codec.encode(frame, new ByteBufOutputStream(buffer));
      return new TextWebSocketFrame(buffer);
    }

    @Override
    public void close(Channel channel) {
      channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
          .addListener(ChannelFutureListener.CLOSE);
    }
  }
}
