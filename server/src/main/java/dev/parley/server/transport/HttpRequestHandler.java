package dev.parley.server.transport;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.account.Authenticated;
import dev.parley.server.api.RestApi;
import dev.parley.server.api.RestRequest;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * HTTP requests: the REST API, file downloads, the web client's files, and the upgrade to
 * WebSocket at {@code /api/v1/ws}. A request is answered before the next one is read, so
 * pipelined responses keep their order.
 */
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final String WEBSOCKET_PATH = "/api/v1/ws";

  private final TransportContext context;
  private final FileDownloads downloads;
  private final WebClientRoutes webClient;

  HttpRequestHandler(TransportContext context, FileDownloads downloads, WebClientRoutes webClient) {
    this.context = context;
    this.downloads = downloads;
    this.webClient = webClient;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      reply(ctx, new ParleyException(ErrorCode.BAD_REQUEST, "malformed HTTP request"), false);
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    if (uri.path().equals(WEBSOCKET_PATH)) {
      if (!request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
        reply(ctx, new ParleyException(ErrorCode.BAD_REQUEST, "this endpoint only speaks WebSocket: send an upgrade"), false);
        return;
      }
      upgrade(ctx, request, uri);
      return;
    }
    if (WebClientRoutes.serves(uri.path())) {
      webClient.serve(ctx, request, uri.path());
      return;
    }
    if (uri.path().startsWith(FileDownloads.PREFIX)) {
      ctx.channel().config().setAutoRead(false);
      downloads.serve(ctx, request, uri)
          .whenComplete((done, error) -> ctx.executor().execute(() -> ctx.channel().config().setAutoRead(true)));
      return;
    }
    RestRequest rest =
        new RestRequest(
            request.method().name(),
            uri.path(),
            uri.parameters(),
            request.headers().get(HttpHeaderNames.AUTHORIZATION),
            ByteBufUtil.getBytes(request.content()),
            context.clientAddresses().of(ctx.channel().remoteAddress(), request.headers()));
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    ctx.channel().config().setAutoRead(false);
    context.rest().handle(rest).whenComplete(
        (response, error) -> ctx.executor().execute(() -> {
          HttpResponses.write(ctx, response, keepAlive);
          ctx.channel().config().setAutoRead(true);
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

  /**
   * A token may come in the Authorization header or as {@code ?token=}; then the connection is
   * authenticated before the handshake, and a bad token gets a plain 401. Without one, the
   * client sends an {@code auth} or {@code login} frame.
   */
  private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
    String token = RestApi.bearerToken(request.headers().get(HttpHeaderNames.AUTHORIZATION));
    if (token == null && uri.parameters().containsKey("token")) {
      token = uri.parameters().get("token").getFirst();
    }
    Long since;
    try {
      since = uri.parameters().containsKey("since") ? Long.valueOf(uri.parameters().get("since").getFirst()) : null;
    } catch (NumberFormatException e) {
      reply(ctx, new ParleyException(ErrorCode.BAD_REQUEST, "query parameter 'since' must be an integer"), false);
      return;
    }
    if (token == null) {
      handshake(ctx, request, null, null);
      return;
    }
    request.retain();
    ctx.channel().config().setAutoRead(false);
    context.services().accounts().authenticate(token).whenComplete(
        (user, error) -> ctx.executor().execute(() -> {
          try {
            if (error != null) {
              reply(ctx, new ParleyException(ErrorCode.UNAUTHORIZED, "unknown or expired token"), false);
            } else {
              handshake(ctx, request, user, since);
            }
          } finally {
            request.release();
            ctx.channel().config().setAutoRead(true);
          }
        }));
  }

  private void handshake(ChannelHandlerContext ctx, FullHttpRequest request, Authenticated user, Long since) {
    int maxFrameBytes = context.config().maxFrameBytes();
    WebSocketDecoderConfig decoderConfig =
        WebSocketDecoderConfig.newBuilder()
            .maxFramePayloadLength(maxFrameBytes)
            .closeOnProtocolViolation(false)
            .build();
    String location = "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + WEBSOCKET_PATH;
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshakerFactory(location, null, decoderConfig).newHandshaker(request);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      return;
    }
    FrameHandler frames =
        new FrameHandler(
            context,
            WebSocketFrames.TRANSPORT,
            new WebSocketFrames.TextEncoder(context.codec()),
            context.clientAddresses().of(ctx.channel().remoteAddress(), request.headers()));
    // A frame connection is idle when the client sends nothing, whatever the server sends it.
    ctx.pipeline().replace("idle", "idle", NettyTransport.frameIdleHandler(context.config()));
    // HTTP-only: a WebSocket has no uploads, and the router would stay for the connection's life.
    ctx.pipeline().remove("uploads");
    ctx.pipeline()
        .addLast("ws-aggregator", new WebSocketFrameAggregator(maxFrameBytes))
        .addLast("ws-unwrap", new WebSocketFrames())
        .addLast("frame-handler", frames);
    ctx.pipeline().remove(this);
    handshaker.handshake(ctx.channel(), request).addListener((ChannelFutureListener) done -> {
      if (!done.isSuccess()) {
        done.channel().close();
      } else if (user != null) {
        frames.connection().onAuthenticatedUpgrade(user, since);
      }
    });
  }

  private void reply(ChannelHandlerContext ctx, ParleyException error, boolean keepAlive) {
    HttpResponses.write(ctx, context.rest().error(error), keepAlive);
  }
}
