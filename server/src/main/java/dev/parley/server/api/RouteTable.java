package dev.parley.server.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Every HTTP endpoint of the server, each with its method, path pattern, {@link Access} and
 * endpoint. Built once at start, where a second route for the same method and path shape is
 * refused; then immutable and thread-safe. Routes are tried in the order they were added.
 *
 * @param <E> what answers a request
 */
public final class RouteTable<E> {
  private final List<Route<E>> routes;

  private RouteTable(List<Route<E>> routes) {
    this.routes = List.copyOf(routes);
  }

  public static <E> Builder<E> builder() {
    return new Builder<>();
  }

  /** The outcome of looking a request up. */
  public sealed interface Lookup<E> {}

  /** @param pathParams the values of the route's {@code {name}} segments */
  public record Found<E>(Route<E> route, Map<String, String> pathParams) implements Lookup<E> {}

  public record NotFound<E>() implements Lookup<E> {}

  /**
   * The path is known but not with this method.
   *
   * @param allow the path's methods, for the {@code Allow} header ("GET, HEAD")
   * @param endpoint the endpoint of the path's first route, which answers in its own way
   */
  public record WrongMethod<E>(String allow, E endpoint) implements Lookup<E> {}

  public Lookup<E> find(String method, String path) {
    Set<String> allowed = new LinkedHashSet<>();
    E first = null;
    for (Route<E> route : routes) {
      Map<String, String> params = route.path().match(path);
      if (params == null) {
        continue;
      }
      if (route.method().equals(method)) {
        return new Found<>(route, params);
      }
      if (first == null) {
        first = route.endpoint();
      }
      allowed.add(route.method());
    }
    return first == null ? new NotFound<>() : new WrongMethod<>(String.join(", ", allowed), first);
  }

  /** Whether some route for this path, whatever its method, has an endpoint that passes the test. */
  public boolean anyFor(String path, Predicate<E> test) {
    return routes.stream().anyMatch(route -> test.test(route.endpoint()) && route.path().match(path) != null);
  }

  public List<Route<E>> routes() {
    return routes;
  }

  /** Collects the routes; not thread-safe. */
  public static final class Builder<E> {
    private final List<Route<E>> routes = new ArrayList<>();
    private final Set<String> taken = new HashSet<>();

    private Builder() {}

    /** @throws IllegalArgumentException if the method and path (up to parameter names) are taken */
    public Builder<E> add(String method, String path, Access access, E endpoint) {
      Route<E> route = new Route<>(method, PathPattern.parse(path), access, endpoint);
      if (!taken.add(method + " " + route.path().shape())) {
        throw new IllegalArgumentException("duplicate route: " + route);
      }
      routes.add(route);
      return this;
    }

    public RouteTable<E> build() {
      return new RouteTable<>(routes);
    }
  }
}
