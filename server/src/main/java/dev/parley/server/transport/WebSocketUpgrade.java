package dev.parley.server.transport;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.account.Authenticated;
import dev.parley.server.api.Caller;
import dev.parley.server.api.RestResponse;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The upgrade to WebSocket at {@code /api/v1/ws}. Without {@code Upgrade: websocket}, whatever the
 * method, the answer is 400, before {@code since} and the token are looked at. A token (the gate
 * checks it: {@link dev.parley.server.api.Access#TOKEN_IF_GIVEN}) upgrades the connection already
 * authenticated; without one the client sends an {@code auth} or {@code login} frame.
 */
final class WebSocketUpgrade implements HttpEndpoint.Exchange {
  static final String PATH = "/api/v1/ws";
  private static final ParleyException NOT_AN_UPGRADE =
      new ParleyException(ErrorCode.BAD_REQUEST, "this endpoint only speaks WebSocket: send an upgrade");

  private final TransportContext context;

  WebSocketUpgrade(TransportContext context) {
    this.context = context;
  }

  @Override
  public ParleyException precondition(FullHttpRequest request, QueryStringDecoder uri) {
    if (!request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
      return NOT_AN_UPGRADE;
    }
    try {
      since(uri);
      return null;
    } catch (NumberFormatException e) {
      return new ParleyException(ErrorCode.BAD_REQUEST, "query parameter 'since' must be an integer");
    }
  }

  /** Any other method is not an upgrade either. */
  @Override
  public RestResponse methodNotAllowed(String allow) {
    return context.rest().error(NOT_AN_UPGRADE);
  }

  @Override
  public boolean closesOnRefusal() {
    return true;
  }

  @Override
  public CompletableFuture<Void> serve(
      ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri, Map<String, String> pathParams, Caller caller) {
    if (caller instanceof Caller.WithToken token) {
      handshake(ctx, request, token.user(), since(uri));
    } else {
      handshake(ctx, request, null, null);
    }
    return CompletableFuture.completedFuture(null);
  }

  private static Long since(QueryStringDecoder uri) {
    List<String> since = uri.parameters().get("since");
    return since == null ? null : Long.valueOf(since.getFirst());
  }

  private void handshake(ChannelHandlerContext ctx, FullHttpRequest request, Authenticated user, Long since) {
    int maxFrameBytes = context.config().connections().maxFrameBytes();
    WebSocketDecoderConfig decoderConfig =
        WebSocketDecoderConfig.newBuilder()
            .maxFramePayloadLength(maxFrameBytes)
            .closeOnProtocolViolation(false)
            .build();
    String location = "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + PATH;
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
    // HTTP-only: a WebSocket has no streamed bodies nor request heads, and these would stay for
    // the connection's life.
    ctx.pipeline().remove(NettyTransport.STREAMED_ROUTER);
    ctx.pipeline().remove(RequestHeadTimeout.BYTES);
    ctx.pipeline().remove(RequestHeadTimeout.HEADS);
    if (ctx.pipeline().get(NettyTransport.CHUNKED_WRITES) != null) {
      // It queues every write; frames need no chunking.
      ctx.pipeline().remove(NettyTransport.CHUNKED_WRITES);
    }
    ctx.pipeline()
        .addLast("ws-aggregator", new WebSocketFrameAggregator(maxFrameBytes))
        // Before the control frames are answered, so that pings take from the budget too.
        .addLast(FrameBudget.NAME, NettyTransport.frameBudget(context.config()))
        .addLast("ws-unwrap", new WebSocketFrames())
        .addLast("frame-handler", frames);
    ctx.pipeline().remove(ctx.handler());
    handshaker.handshake(ctx.channel(), request).addListener((ChannelFutureListener) done -> {
      if (!done.isSuccess()) {
        done.channel().close();
      } else if (user != null) {
        frames.connection().onAuthenticatedUpgrade(user, since);
      }
    });
  }
}
