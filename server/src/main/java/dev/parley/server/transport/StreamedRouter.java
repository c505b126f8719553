package dev.parley.server.transport;

import dev.parley.server.api.Route;
import dev.parley.server.api.RouteTable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Locale;
import java.util.Map;

/**
 * Sits before the body aggregator and takes out of the normal path every request whose route in
 * the {@link HttpRoutes} table is {@link HttpEndpoint.Streamed}: its body (up to the file size
 * limit) streams to the endpoint chunk by chunk instead of being collected in memory. A wrong
 * method on such a path is refused here too, so that its body is never collected either.
 * Everything else passes through. One instance per connection.
 */
final class StreamedRouter extends ChannelInboundHandlerAdapter {
  private final TransportContext context;
  private final HttpRoutes routes;
  private UploadExchange exchange;

  StreamedRouter(TransportContext context, HttpRoutes routes) {
    this.context = context;
    this.routes = routes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (message instanceof HttpRequest request && request.decoderResult().isSuccess()) {
      exchange = open(ctx, request);
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

  /** The exchange that takes this request, or null if it is not streamed. */
  private UploadExchange open(ChannelHandlerContext ctx, HttpRequest request) {
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    // tus lets a client that can only send GET and POST name the method in a header.
    String override = request.headers().get(TusHeaders.METHOD_OVERRIDE);
    String method = (override != null ? override : request.method().name()).toUpperCase(Locale.ROOT);
    switch (routes.find(method, uri.path())) {
      case RouteTable.Found<HttpEndpoint>(Route<HttpEndpoint> route, Map<String, String> params)
          when route.endpoint() instanceof HttpEndpoint.Streamed streamed -> {
        UploadExchange opened = streamed.open(ctx, request, method, params);
        opened.start(() -> routes.admit(route, request, uri, params));
        return opened;
      }
      case RouteTable.WrongMethod<HttpEndpoint>(String allow, HttpEndpoint endpoint)
          when endpoint instanceof HttpEndpoint.Streamed streamed -> {
        UploadExchange opened = streamed.open(ctx, request, method, Map.of());
        opened.refuse(context.rest().methodNotAllowed(allow));
        return opened;
      }
      default -> {
        return null;
      }
    }
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
}
