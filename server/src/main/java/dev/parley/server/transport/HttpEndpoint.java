package dev.parley.server.transport;

import dev.parley.protocol.ParleyException;
import dev.parley.server.api.Caller;
import dev.parley.server.api.RestEndpoint;
import dev.parley.server.api.RestResponse;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What answers a route of the {@link HttpRoutes} table. Its kind decides how the pipeline reads
 * the request: a {@link Json} or {@link Exchange} endpoint gets the body collected in memory (up
 * to the frame limit), a {@link Streamed} one gets it piece by piece as it arrives.
 */
sealed interface HttpEndpoint {

  /**
   * A JSON call, answered by plain Java.
   *
   * @param readsBody the endpoint reads a JSON body, which must then be sent as {@code application/json}
   */
  record Json(RestEndpoint endpoint, boolean readsBody) implements HttpEndpoint {}

  /** A collected request answered on the channel: downloads (sendfile), web files, the WebSocket upgrade. */
  non-sealed interface Exchange extends HttpEndpoint {
    /**
     * A check of the request itself that comes before the login (the endpoint's documented order),
     * or null when it passes.
     */
    default ParleyException precondition(FullHttpRequest request, QueryStringDecoder uri) {
      return null;
    }

    /** This endpoint's own 405 answer, or null for the API's JSON one. */
    default RestResponse methodNotAllowed(String allow) {
      return null;
    }

    /** Whether a refusal (405, precondition, gate) also closes the connection. */
    default boolean closesOnRefusal() {
      return false;
    }

    /**
     * On the event loop, after the gate; the request is retained until the future completes,
     * and no further request is read before that.
     */
    CompletableFuture<Void> serve(
        ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri, Map<String, String> pathParams, Caller caller);
  }

  /** The body streams to the endpoint as it arrives, never collected: tus uploads. */
  @FunctionalInterface
  non-sealed interface Streamed extends HttpEndpoint {
    /**
     * On the event loop, when the request line and headers are in.
     *
     * @param method the request's method, or the one its {@code X-HTTP-Method-Override} names
     */
    UploadExchange open(ChannelHandlerContext ctx, HttpRequest request, String method, Map<String, String> pathParams);
  }
}
