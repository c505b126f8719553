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
 * The pipelines of connections refused because the server is full: one {@code server_full}
 * answer, then close. A refused connection holds a descriptor only briefly: it is closed once
 * answered, and after {@link #LINGER_SECONDS} at most.
 */
final class ServerFullReplies {
  /** Seconds a client is told to wait before trying again (HTTP Retry-After). */
  static final long RETRY_AFTER_SECONDS = 5;
  /** How long a refused connection may take to send its request, or to read our answer. */
  private static final long LINGER_SECONDS = 5;

  private ServerFullReplies() {}

  static String message(int maxConnections) {
    return "server full (" + maxConnections + " connections); try again later";
  }

  /**
   * TCP: one {@code error} line, then a half-close, so the line is not lost to a reset even if
   * the client has already sent its {@code auth}: what it sends is read and dropped until it
   * closes too.
   */
  static void refuseLine(SocketChannel channel, TransportContext context, int maxConnections) {
    ServerFrame.Error full = new ServerFrame.Error(null, ErrorCode.SERVER_FULL, message(maxConnections), null);
    ByteBuf line = Unpooled.wrappedBuffer(context.codec().encode(full), new byte[] {'\n'});
    channel.pipeline().addLast("server-full", new ChannelInboundHandlerAdapter() {
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

  /** HTTP (and so WebSocket upgrades): 503 with Retry-After and Connection: close to the first request. */
  static void refuseHttp(SocketChannel channel, TransportContext context, int maxConnections) {
    RestResponse error = context.rest().error(new ParleyException(ErrorCode.SERVER_FULL, message(maxConnections)));
    Map<String, String> headers = new HashMap<>(error.headers());
    headers.put("Retry-After", Long.toString(RETRY_AFTER_SECONDS));
    RestResponse full = new RestResponse(error.status(), error.contentType(), error.body(), headers);
    channel.pipeline()
        .addLast("idle", new IdleStateHandler(0, 0, LINGER_SECONDS, TimeUnit.SECONDS))
        .addLast("http-codec", new HttpServerCodec())
        .addLast("server-full", new ChannelInboundHandlerAdapter() {
          private boolean answered;

          @Override
          public void channelRead(ChannelHandlerContext ctx, Object message) {
            ReferenceCountUtil.release(message);
            if (message instanceof HttpRequest && !answered) {
              answered = true;
              HttpResponses.write(ctx, full, false);
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
