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

/** TCP: a frame is one JSON object and a line feed; goodbye is closing the socket. */
record LineEncoder(FrameCodec codec) implements ChannelOutbound.Encoder {
  static final String TRANSPORT = "tcp";

  @Override
  public Object encode(ServerFrame frame, ByteBufAllocator allocator) {
    ByteBuf buffer = allocator.ioBuffer(256);
    codec.encode(frame, new ByteBufOutputStream(buffer));
    return buffer.writeByte('\n');
  }

  @Override
  public Object wrap(SharedFrame<?> frame) {
    return Unpooled.wrappedBuffer(frame.line(codec));
  }

  @Override
  public void close(Channel channel) {
    channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }
}
