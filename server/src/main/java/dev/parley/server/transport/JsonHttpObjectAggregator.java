package dev.parley.server.transport;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.api.RestApi;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/** The aggregator, answering an oversized body with our JSON {@code too_large} error. */
final class JsonHttpObjectAggregator extends HttpObjectAggregator {
  private final RestApi rest;
  private final int maxContentLength;

  JsonHttpObjectAggregator(int maxContentLength, RestApi rest) {
    super(maxContentLength);
    this.rest = rest;
    this.maxContentLength = maxContentLength;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
    if (!(oversized instanceof HttpRequest)) {
      super.handleOversizedMessage(ctx, oversized);
      return;
    }
    // Like Netty's own handling: a keep-alive connection stays open while the aggregator discards
    // the rest of the body, so that the client, still sending, can read the answer.
    boolean keepAlive = !(oversized instanceof FullHttpMessage) && HttpUtil.isKeepAlive(oversized);
    HttpResponses.write(
        ctx,
        rest.error(new ParleyException(ErrorCode.TOO_LARGE, "request body over " + maxContentLength + " bytes")),
        keepAlive);
  }
}
