package dev.parley.server.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Decides Netty's autoRead for one connection, in one place: the server reads from a connection
 * only while its output drains (the channel is writable: under the write buffer's high-water
 * mark, or back under the low-water mark), no handler holds the gate (an HTTP response in
 * flight) and the connection is within its frame budget ({@link FrameBudget}). A client that
 * does not read what it asked for therefore stops being read, and what it sends meanwhile waits in the kernel's buffers, not in the server's memory: frames on TCP and
 * WebSocket, pings whose pongs it does not take, pipelined HTTP requests. Event loop only.
 */
final class ReadGate extends ChannelInboundHandlerAdapter {
  static final String NAME = "read-gate";

  private boolean held;
  private boolean throttled;

  /** The gate of a channel's pipeline. */
  static ReadGate of(Channel channel) {
    return channel.pipeline().get(ReadGate.class);
  }

  /** Stops reading until {@link #release}, whatever the output does. */
  void hold(Channel channel) {
    held = true;
    apply(channel);
  }

  /** Reads again, once the output drains if it is backed up. */
  void release(Channel channel) {
    held = false;
    apply(channel);
  }

  /** Stops reading while the connection is over its frame budget ({@link FrameBudget}). */
  void throttle(Channel channel) {
    throttled = true;
    apply(channel);
  }

  /** Reads again once the frame budget allows, unless held or backed up. */
  void unthrottle(Channel channel) {
    throttled = false;
    apply(channel);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    apply(ctx.channel());
    ctx.fireChannelWritabilityChanged();
  }

  private void apply(Channel channel) {
    channel.config().setAutoRead(!held && !throttled && channel.isWritable());
  }
}
