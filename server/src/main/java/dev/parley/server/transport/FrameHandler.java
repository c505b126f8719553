package dev.parley.server.transport;

import dev.parley.protocol.MalformedFrameException;
import dev.parley.server.api.ClientConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frame protocol on any transport: each inbound message is the bytes of one JSON frame (a
 * TCP line, or the payload of a WebSocket text message, unwrapped by {@link WebSocketFrames}).
 * Decodes, hands the frame to the connection's {@link ClientConnection}, and turns transport
 * events (idle, oversized input, close) into protocol events. One instance per connection.
 */
final class FrameHandler extends SimpleChannelInboundHandler<ByteBuf> {
  private static final Logger log = LoggerFactory.getLogger(FrameHandler.class);

  /** Input that is not a frame at all (a binary WebSocket message), told to the client as bad_request. */
  record NotAFrame(String message) {}

  private final TransportContext context;
  private final String transport;
  private final ChannelOutbound.Encoder encoder;
  private final String clientAddress;
  private ClientConnection connection;
  private ChannelOutbound outbound;

  /** @param clientAddress the client's address, from {@link ClientAddresses} */
  FrameHandler(TransportContext context, String transport, ChannelOutbound.Encoder encoder, String clientAddress) {
    this.context = context;
    this.transport = transport;
    this.encoder = encoder;
    this.clientAddress = clientAddress;
  }

  ClientConnection connection() {
    return connection;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    outbound = new ChannelOutbound(ctx.channel(), encoder, transport, clientAddress, context.config().connections());
    connection = new ClientConnection(context.services(), outbound);
    context.opened(ctx.channel(), connection, transport);
    Duration authTimeout = context.config().connections().authTimeout();
    ctx.executor().schedule(() -> connection.onAuthDeadline(authTimeout), authTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
    if (isBlank(frame)) {
      return;
    }
    byte[] bytes = ByteBufUtil.getBytes(frame);
    try {
      connection.onFrame(context.codec().decodeClient(bytes, 0, bytes.length));
    } catch (MalformedFrameException e) {
      connection.onMalformed(e);
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
    switch (event) {
      case IdleStateEvent idle -> connection.onIdle();
      case ChannelInputShutdownEvent ended -> connection.onInputEnded();
      case NotAFrame notAFrame -> connection.onBadRequest(notAFrame.message());
      default -> ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    context.closed(ctx.channel(), transport);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable root = cause instanceof TooLongFrameException || cause.getCause() == null ? cause : cause.getCause();
    if (root instanceof TooLongFrameException || isWebSocketTooBig(root)) {
      connection.onTooLarge(context.config().connections().maxFrameBytes());
    } else if (root instanceof IOException || root instanceof CorruptedWebSocketFrameException) {
      log.debug("connection {} failed: {}", ctx.channel(), root.toString());
      ctx.close();
    } else {
      log.warn("closing {} after an unexpected error", ctx.channel(), cause);
      ctx.close();
    }
  }

  private static boolean isWebSocketTooBig(Throwable error) {
    return error instanceof CorruptedWebSocketFrameException corrupted
        && corrupted.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code();
  }

  /** Only JSON whitespace: no frame. Blank TCP lines are keep-alives. */
  static boolean isBlank(ByteBuf frame) {
    for (int i = frame.readerIndex(); i < frame.writerIndex(); i++) {
      byte b = frame.getByte(i);
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }
}
