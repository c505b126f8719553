package dev.parley.server.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Right behind the HTTP codec: a client that pipelines more requests than the codec queues
 * (Netty's {@code maxPipelineDepth}, 128) is closed with one log line, not a stack trace at the
 * pipeline's tail for each such connection. The responses already written stay in order, so no
 * error response can be slotted in: the client sees the connection close after them. Every
 * other exception passes on.
 */
final class PipelineDepthGuard extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(PipelineDepthGuard.class);
  private static final String TOO_DEEP = "maxPipelineDepth exceeded";

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof DecoderException && cause.getCause() instanceof IllegalStateException state
        && state.getMessage() != null && state.getMessage().startsWith(TOO_DEEP)) {
      log.info("closing {}: too many pipelined HTTP requests ({})", ctx.channel().remoteAddress(), state.getMessage());
      ctx.close();
      return;
    }
    ctx.fireExceptionCaught(cause);
  }
}
