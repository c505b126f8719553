package dev.parley.server.transport;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.api.RestResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The pipelines of connections refused as they are accepted, because the server is full
 * ({@code server_full}) or their address has as many connections as it may
 * ({@code too_many_connections}): one error answer, then close. A refused connection holds a
 * descriptor only briefly: it is closed once answered, and after {@link #LINGER_SECONDS} at most.
 */
final class ServerFullReplies {
  /** Seconds a client is told to wait before trying again (HTTP Retry-After). */
  static final long RETRY_AFTER_SECONDS = 5;
  /** How long a refused connection may take to send its request, or to read our answer. */
  private static final long LINGER_SECONDS = 5;

  private ServerFullReplies() {}

  static ParleyException serverFull(int maxConnections) {
    return new ParleyException(ErrorCode.SERVER_FULL, "server full (" + maxConnections + " connections); try again later");
  }

  static ParleyException tooManyConnections(int maxPerAddress) {
    return new ParleyException(
        ErrorCode.TOO_MANY_CONNECTIONS,
        "too many connections from your address (" + maxPerAddress + "); close some and try again");
  }

  /**
   * TCP: one {@code error} line, then a half-close, so the line is not lost to a reset even if
   * the client has already sent its {@code auth}: what it sends is read and dropped until it
   * closes too.
   */
  static void refuseLine(SocketChannel channel, TransportContext context, ParleyException refusal) {
    ByteBuf line = Unpooled.wrappedBuffer(context.codec().encode(ServerFrame.Error.of(refusal, null)), new byte[] {'\n'});
    channel.pipeline().addLast("refusal", new ChannelInboundHandlerAdapter() {
      @Override
      public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(line).addListener(written -> channel.shutdownOutput());
        ctx.executor().schedule(() -> ctx.close(), LINGER_SECONDS, TimeUnit.SECONDS);
      }

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object message) {
        ReferenceCountUtil.release(message);
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
      }
    });
  }

  /**
   * HTTP (and so WebSocket upgrades): the refusal's status (503, 429) with Retry-After and
   * Connection: close to the first request.
   */
  static void refuseHttp(SocketChannel channel, TransportContext context, ParleyException refusal) {
    RestResponse error = context.rest().error(refusal);
    Map<String, String> headers = new HashMap<>(error.headers());
    headers.put("Retry-After", Long.toString(RETRY_AFTER_SECONDS));
    RestResponse refused = new RestResponse(error.status(), error.contentType(), error.body(), headers);
    channel.pipeline()
        .addLast("idle", new IdleStateHandler(0, 0, LINGER_SECONDS, TimeUnit.SECONDS))
        .addLast("http-codec", new HttpServerCodec())
        .addLast("refusal", new ChannelInboundHandlerAdapter() {
          private boolean answered;

          @Override
          public void channelRead(ChannelHandlerContext ctx, Object message) {
            ReferenceCountUtil.release(message);
            if (message instanceof HttpRequest && !answered) {
              answered = true;
              HttpResponses.write(ctx, refused, false);
            }
          }

          @Override
          public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent) {
              ctx.close();
            }
          }

          @Override
          public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
          }
        });
  }
}
