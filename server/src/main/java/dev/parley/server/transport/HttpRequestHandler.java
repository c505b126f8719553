package dev.parley.server.transport;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.api.Replies;
import dev.parley.server.api.RestApi;
import dev.parley.server.api.RestRequest;
import dev.parley.server.api.RestResponse;
import dev.parley.server.api.Route;
import dev.parley.server.api.RouteTable;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.Map;

/**
 * HTTP requests whose body was collected: looked up in the {@link HttpRoutes} table, let through
 * its gate, and handed to their endpoint. The next request is read only once the answer to this
 * one is written, so pipelined responses keep their order and a client that pipelines requests
 * without reading the answers has one answer in flight, not one per request (one open file per
 * download).
 */
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final TransportContext context;
  private final HttpRoutes routes;

  HttpRequestHandler(TransportContext context, HttpRoutes routes) {
    this.context = context;
    this.routes = routes;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    RestApi rest = context.rest();
    if (!request.decoderResult().isSuccess()) {
      HttpResponses.write(ctx, rest.error(new ParleyException(ErrorCode.BAD_REQUEST, "malformed HTTP request")), false);
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    switch (routes.find(request.method().name(), uri.path())) {
      case RouteTable.NotFound<HttpEndpoint> notFound ->
          HttpResponses.write(ctx, rest.error(new ParleyException(ErrorCode.NOT_FOUND, "no such endpoint")), keepAlive);
      case RouteTable.WrongMethod<HttpEndpoint>(String allow, HttpEndpoint endpoint) -> {
        RestResponse own = endpoint instanceof HttpEndpoint.Exchange exchange ? exchange.methodNotAllowed(allow) : null;
        boolean close = endpoint instanceof HttpEndpoint.Exchange exchange && exchange.closesOnRefusal();
        HttpResponses.write(ctx, own != null ? own : rest.methodNotAllowed(allow), keepAlive && !close);
      }
      case RouteTable.Found<HttpEndpoint>(Route<HttpEndpoint> route, Map<String, String> params) -> {
        switch (route.endpoint()) {
          case HttpEndpoint.Json json -> call(ctx, request, uri, route, params, json);
          case HttpEndpoint.Exchange exchange -> exchange(ctx, request, uri, route, params, exchange);
          case HttpEndpoint.Streamed streamed ->
              throw new IllegalStateException("streamed routes are taken before the aggregator: " + route);
        }
      }
    }
  }

  private void call(
      ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri, Route<HttpEndpoint> route,
      Map<String, String> params, HttpEndpoint.Json json) {
    RestRequest rest =
        new RestRequest(
            request.method().name(),
            uri.path(),
            params,
            uri.parameters(),
            ByteBufUtil.getBytes(request.content()),
            context.clientAddresses().of(ctx.channel().remoteAddress(), request.headers()),
            request.headers().get(HttpHeaderNames.HOST),
            request.headers().get(HttpHeaderNames.USER_AGENT));
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    ReadGate gate = ReadGate.of(ctx.channel());
    gate.hold(ctx.channel());
    context.rest().handle(routes.admit(route, request, uri, params), json.endpoint(), rest).whenComplete(
        (response, error) -> ctx.executor().execute(
            () -> HttpResponses.write(ctx, response, keepAlive).addListener(written -> gate.release(ctx.channel()))));
  }

  private void exchange(
      ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri, Route<HttpEndpoint> route,
      Map<String, String> params, HttpEndpoint.Exchange exchange) {
    boolean keepAlive = HttpUtil.isKeepAlive(request) && !exchange.closesOnRefusal();
    ParleyException unmet = exchange.precondition(request, uri);
    if (unmet != null) {
      HttpResponses.write(ctx, context.rest().error(unmet), keepAlive);
      return;
    }
    request.retain();
    ReadGate gate = ReadGate.of(ctx.channel());
    gate.hold(ctx.channel());
    routes.admit(route, request, uri, params)
        .thenComposeAsync(caller -> exchange.serve(ctx, request, uri, params, caller), ctx.executor())
        .whenComplete((done, error) -> ctx.executor().execute(() -> {
          request.release();
          if (error != null) {
            HttpResponses.write(ctx, context.rest().error(Replies.toParleyException(error)), keepAlive)
                .addListener(written -> gate.release(ctx.channel()));
          } else {
            gate.release(ctx.channel());
          }
        }));
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent) {
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }
}
