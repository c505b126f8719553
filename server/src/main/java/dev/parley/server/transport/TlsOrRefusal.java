package dev.parley.server.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The first stage of a TLS port. It looks at the first bytes a client sends: a TLS record turns
 * it into Netty's {@code SslHandler} with the context given (the certificate current when the
 * connection was accepted); anything else, such as a plain {@code GET} or a JSON line, gets
 * {@code plaintextAnswer} in the clear and the connection is closed, so a client that forgot TLS
 * reads why instead of hanging or seeing a bare reset. One instance per connection.
 */
final class TlsOrRefusal extends OptionalSslHandler {
  static final String NAME = "tls";

  private final byte[] plaintextAnswer;

  /** @param plaintextAnswer the whole answer to a client that does not speak TLS */
  TlsOrRefusal(SslContext context, byte[] plaintextAnswer) {
    super(context);
    this.plaintextAnswer = plaintextAnswer;
  }

  @Override
  protected String newSslHandlerName() {
    return "ssl";
  }

  @Override
  protected String newNonSslHandlerName() {
    return "plaintext-refusal";
  }

  @Override
  protected ChannelHandler newNonSslHandler(ChannelHandlerContext context) {
    return new ChannelInboundHandlerAdapter() {
      private boolean answered;

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object message) {
        ReferenceCountUtil.release(message);
        if (!answered) {
          answered = true;
          ctx.writeAndFlush(Unpooled.wrappedBuffer(plaintextAnswer)).addListener(ChannelFutureListener.CLOSE);
        }
      }
    };
  }

  /** The bytes of a whole HTTP/1.1 response: status, a JSON body, {@code Connection: close}. */
  static byte[] httpAnswer(int status, String reason, byte[] json) {
    String head = "HTTP/1.1 " + status + " " + reason + "\r\n"
        + "Content-Type: application/json; charset=utf-8\r\n"
        + "Content-Length: " + json.length + "\r\n"
        + "Cache-Control: no-store\r\n"
        + "Connection: close\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] answer = Arrays.copyOf(headBytes, headBytes.length + json.length);
    System.arraycopy(json, 0, answer, headBytes.length, json.length);
    return answer;
  }

  /** One protocol line: the frame and a newline. */
  static byte[] lineAnswer(byte[] frame) {
    byte[] line = Arrays.copyOf(frame, frame.length + 1);
    line[frame.length] = '\n';
    return line;
  }
}
