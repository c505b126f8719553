package dev.parley.server.api;

/**
 * One line of the {@link RouteTable}: an HTTP method and path, what the caller must show before
 * the handler runs, and the endpoint that answers.
 *
 * @param <E> what answers a request (the transport decides what an endpoint is)
 */
public record Route<E>(String method, PathPattern path, Access access, E endpoint) {
  @Override
  public String toString() {
    return method + " " + path;
  }
}
