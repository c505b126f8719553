package dev.parley.server.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Adds {@code Strict-Transport-Security} to every response on the HTTPS port, so that a browser
 * that once reached the server over HTTPS never falls back to plain HTTP (RFC 6797). Browsers
 * ignore the header over a connection whose certificate they did not accept, so a self-signed
 * certificate does not lock anyone out. Never on a plain HTTP port, where it would mean nothing.
 */
@ChannelHandler.Sharable
final class StrictTransportSecurity extends ChannelOutboundHandlerAdapter {
  static final String NAME = "hsts";
  static final StrictTransportSecurity INSTANCE = new StrictTransportSecurity();
  /** One year, what the HSTS preload list asks for; no includeSubDomains: other hosts of the domain are not ours. */
  static final String VALUE = "max-age=31536000";

  private StrictTransportSecurity() {}

  @Override
  public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
    if (message instanceof HttpResponse response) {
      response.headers().set("Strict-Transport-Security", VALUE);
    }
    ctx.write(message, promise);
  }
}
