package dev.parley.server.transport;

import dev.parley.server.api.RestResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** Writes a {@link RestResponse} as an HTTP/1.1 response. */
final class HttpResponses {
  private HttpResponses() {}

  /** @return completes once the response is written (or failed to be) */
  static ChannelFuture write(ChannelHandlerContext ctx, RestResponse response, boolean keepAlive) {
    FullHttpResponse http =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(response.body()));
    if (response.contentType() != null) {
      http.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
    }
    if (response.status() != 204) {
      // RFC 9110 §8.6: a 204 has no body and must not announce one.
      http.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
    }
    http.headers()
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
        .set("X-Content-Type-Options", "nosniff");
    if (response.status() == 401) {
      http.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
    }
    response.headers().forEach(http.headers()::set);
    if (!keepAlive) {
      http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      return ctx.writeAndFlush(http).addListener(ChannelFutureListener.CLOSE);
    }
    return ctx.writeAndFlush(http);
  }
}
