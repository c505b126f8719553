package dev.parley.server.transport;

import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.MalformedFrameException;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.api.ClientConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The TCP line protocol: one JSON frame per line, each way. One instance per connection. */
final class TcpLineHandler extends SimpleChannelInboundHandler<ByteBuf> {
  private static final Logger log = LoggerFactory.getLogger(TcpLineHandler.class);
  static final String TRANSPORT = "tcp";

  private final TransportContext context;
  private ClientConnection connection;
  private ChannelOutbound outbound;

  TcpLineHandler(TransportContext context) {
    this.context = context;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    outbound = new ChannelOutbound(ctx.channel(), new LineEncoder(context.codec()), TRANSPORT, context.config().outboundQueueFrames());
    connection = new ClientConnection(context.services(), outbound);
    context.opened(ctx.channel(), connection, TRANSPORT);
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
    if (isBlank(line)) {
      return;
    }
    byte[] bytes = ByteBufUtil.getBytes(line);
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
    if (cause instanceof TooLongFrameException) {
      connection.onTooLarge(context.config().maxFrameBytes());
    } else if (cause instanceof IOException) {
      log.debug("connection {} failed: {}", ctx.channel(), cause.toString());
      ctx.close();
    } else {
      log.warn("closing {} after an unexpected error", ctx.channel(), cause);
      ctx.close();
    }
  }

  /** Blank lines carry no frame; clients may send them as keep-alives. */
  private static boolean isBlank(ByteBuf line) {
    for (int i = line.readerIndex(); i < line.writerIndex(); i++) {
      byte b = line.getByte(i);
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  /** A frame as one JSON object and a line feed. */
  private record LineEncoder(FrameCodec codec) implements ChannelOutbound.Encoder {
    @Override
    public Object encode(ServerFrame frame, ByteBufAllocator allocator) {
      ByteBuf buffer = allocator.ioBuffer(256);
      codec.encode(frame, new ByteBufOutputStream(buffer));
      return buffer.writeByte('\n');
    }

    @Override
    public void close(Channel channel) {
      channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
