package dev.parley.server.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the open connections of both listening sockets against {@code max-connections}, and
 * watches {@code accept} for running out of file descriptors. Either condition is logged once
 * when it starts and once when it clears, however many connections it turns away meanwhile: a
 * server at its limit must not also flood its log. Thread-safe.
 */
final class ConnectionLimit {
  private static final Logger log = LoggerFactory.getLogger(ConnectionLimit.class);

  private final int max;
  /**
   * At or below this count a full server is said to accept again: with some hysteresis, so that
   * clients reconnecting at the limit do not log a start and a clear per connection.
   */
  private final int clearAt;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicBoolean full = new AtomicBoolean();
  private final AtomicBoolean acceptFailing = new AtomicBoolean();
  private final ChannelFutureListener onClose = future -> closed();

  ConnectionLimit(int max) {
    this.max = max;
    this.clearAt = max - Math.max(1, max / 20);
  }

  int max() {
    return max;
  }

  int open() {
    return open.get();
  }

  /**
   * Counts a just-accepted channel in, or reports that the server is full. A counted channel is
   * counted out when it closes.
   */
  boolean tryOpen(Channel channel) {
    if (acceptFailing.compareAndSet(true, false)) {
      log.info("accepting connections again ({} open)", open.get());
    }
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      if (full.compareAndSet(false, true)) {
        log.warn("max-connections ({}) reached: refusing new connections until some close", max);
      }
      return false;
    }
    channel.closeFuture().addListener(onClose);
    return true;
  }

  private void closed() {
    if (open.decrementAndGet() <= clearAt && full.compareAndSet(true, false)) {
      log.info("below max-connections again: {} of {} open", open.get(), max);
    }
  }

  /**
   * A handler for the end of a listening socket's pipeline, behind Netty's acceptor. When
   * {@code accept} fails (typically EMFILE, "Too many open files"), the acceptor stops reading for
   * a second and passes the exception on; without this handler the pipeline's tail would log it
   * as a warning every second for as long as it lasts.
   */
  ChannelHandler acceptFailures() {
    return new AcceptFailures();
  }

  @ChannelHandler.Sharable
  private final class AcceptFailures extends ChannelInboundHandlerAdapter {
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (!(cause instanceof IOException)) {
        ctx.fireExceptionCaught(cause);
      } else if (acceptFailing.compareAndSet(false, true)) {
        log.warn(
            "cannot accept connections on {}: {} ({} open, max-connections {}); retrying every second",
            ctx.channel().localAddress(),
            cause.getMessage(),
            open.get(),
            max);
      }
    }
  }
}
