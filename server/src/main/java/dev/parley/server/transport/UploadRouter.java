package dev.parley.server.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.Executor;

/**
 * Sits before the body aggregator and takes requests under {@code /api/v1/uploads} out of the
 * normal path: their bodies (up to the file size limit) stream to disk chunk by chunk instead of
 * being collected in memory. Everything else passes through. One instance per connection.
 */
final class UploadRouter extends ChannelInboundHandlerAdapter {
  static final String PATH = "/api/v1/uploads";

  private final TransportContext context;
  private final Executor io;
  private UploadExchange exchange;

  UploadRouter(TransportContext context, Executor io) {
    this.context = context;
    this.io = io;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (message instanceof HttpRequest request && isUpload(request.uri())) {
      exchange = new UploadExchange(ctx, context, io, request);
      exchange.start();
    }
    if (exchange != null && message instanceof HttpContent content) {
      UploadExchange current = exchange;
      if (content instanceof LastHttpContent) {
        exchange = null;
      }
      current.onContent(content);
      return;
    }
    if (exchange != null && message instanceof HttpRequest) {
      return;
    }
    ctx.fireChannelRead(message);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (exchange != null) {
      exchange.onConnectionLost();
      exchange = null;
    }
    ctx.fireChannelInactive();
  }

  private static boolean isUpload(String uri) {
    return uri.equals(PATH) || uri.startsWith(PATH + "/") || uri.startsWith(PATH + "?");
  }
}
