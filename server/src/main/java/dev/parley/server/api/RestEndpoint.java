package dev.parley.server.api;

import java.util.concurrent.CompletableFuture;

/** A JSON endpoint: its request arrives whole (the body collected, up to the frame limit). */
@FunctionalInterface
public interface RestEndpoint {
  /** @param caller as the route's {@link Access} demands, already checked */
  CompletableFuture<RestResponse> handle(RestRequest request, Caller caller);
}
