package dev.parley.server.transport;

import dev.parley.server.api.Caller;
import dev.parley.server.api.RestResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The web client: {@code GET /} is its page, {@code GET /static/<file>} (the route's
 * {@code {file...}}) its styles and modules.
 * Every answer, errors included, carries a Content-Security-Policy that allows only this origin's
 * own scripts, styles and connections and no inline code at all, so that text which slipped into
 * the page as markup still could not run.
 */
final class WebClientRoutes implements HttpEndpoint.Exchange {
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
          + "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  private final WebAssets assets;

  WebClientRoutes(WebAssets assets) {
    this.assets = assets;
  }

  /** Plain text with this client's security headers, like every answer on its paths. */
  @Override
  public RestResponse methodNotAllowed(String allow) {
    return new RestResponse(
        405,
        "text/plain; charset=utf-8",
        ("use " + allow.replace(", ", " or ") + "\n").getBytes(StandardCharsets.UTF_8),
        Map.of(
            HttpHeaderNames.ALLOW.toString(), allow,
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "Referrer-Policy", "no-referrer"));
  }

  @Override
  public CompletableFuture<Void> serve(
      ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri, Map<String, String> pathParams, Caller caller) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    boolean head = request.method().equals(HttpMethod.HEAD);
    String file = pathParams.get("file");
    Optional<WebAssets.Asset> found = assets.find(file == null ? "index.html" : file);
    if (found.isEmpty()) {
      send(ctx, text(HttpResponseStatus.NOT_FOUND, "no such file\n"), keepAlive);
      return CompletableFuture.completedFuture(null);
    }
    WebAssets.Asset asset = found.get();
    boolean unchanged = asset.etag().equals(request.headers().get(HttpHeaderNames.IF_NONE_MATCH));
    FullHttpResponse response = unchanged || head
        ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, unchanged ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK)
        : new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(asset.body()));
    HttpHeaders headers = securityHeaders(response.headers())
        .set(HttpHeaderNames.ETAG, asset.etag())
        // The names carry no version, so a browser must ask each time; an unchanged file costs a 304.
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
    if (!unchanged) {
      headers.set(HttpHeaderNames.CONTENT_TYPE, asset.contentType()).setInt(HttpHeaderNames.CONTENT_LENGTH, asset.body().length);
    }
    send(ctx, response, keepAlive);
    return CompletableFuture.completedFuture(null);
  }

  private static FullHttpResponse text(HttpResponseStatus status, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
    securityHeaders(response.headers())
        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    return response;
  }

  private static HttpHeaders securityHeaders(HttpHeaders headers) {
    return headers
        .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .set("X-Content-Type-Options", "nosniff")
        .set("Referrer-Policy", "no-referrer");
  }

  private static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
    if (keepAlive) {
      ctx.writeAndFlush(response);
    } else {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
