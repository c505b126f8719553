package dev.parley.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code header-timeout-seconds}: the line and headers of an HTTP request must all arrive within
 * the timeout. Without it a client sending a byte now and then (slowloris) holds its connection
 * for as long as it likes, since every byte resets the idle timeout. The deadline runs from the
 * connection's start for its first request, and from the first byte of each later request on a
 * keep-alive connection (waiting between requests is the idle timeout's business); it is off
 * once the codec has the whole head. A connection past it is closed without a response.
 *
 * <p>Two handlers share the state: {@link #bytes} before the HTTP codec sees a request begin,
 * {@link #heads} after it sees its head decoded. Both go once the connection is a WebSocket.
 * One instance per connection; event loop only.
 */
final class RequestHeadTimeout {
  static final String BYTES = "head-timeout";
  static final String HEADS = "head-timeout-heads";
  private static final Logger log = LoggerFactory.getLogger(RequestHeadTimeout.class);

  private final long timeoutMillis;
  private final ChannelHandler bytes = new Bytes();
  private final ChannelHandler heads = new Heads();
  /** Whether the next bytes begin a request head, rather than continue a body. */
  private boolean betweenRequests = true;
  private ScheduledFuture<?> deadline;

  RequestHeadTimeout(Duration timeout) {
    this.timeoutMillis = timeout.toMillis();
  }

  ChannelHandler bytes() {
    return bytes;
  }

  ChannelHandler heads() {
    return heads;
  }

  private void arm(ChannelHandlerContext ctx) {
    if (deadline == null) {
      deadline = ctx.executor().schedule(() -> {
        log.debug("closing {}: no complete request head within {} ms", ctx.channel(), timeoutMillis);
        ctx.close();
      }, timeoutMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void disarm() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  private final class Bytes extends ChannelInboundHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      if (ctx.channel().isActive()) {
        arm(ctx);
      }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      arm(ctx);
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
      if (betweenRequests && message instanceof ByteBuf buffer && buffer.isReadable()) {
        arm(ctx);
      }
      ctx.fireChannelRead(message);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      disarm();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      disarm();
      ctx.fireChannelInactive();
    }
  }

  private final class Heads extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
      if (message instanceof HttpRequest) {
        disarm();
        betweenRequests = false;
      }
      if (message instanceof LastHttpContent) {
        betweenRequests = true;
      }
      ctx.fireChannelRead(message);
    }
  }
}
