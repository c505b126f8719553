package dev.parley.server.transport;

import static dev.parley.server.api.Access.ADMIN;
import static dev.parley.server.api.Access.METRICS_TOKEN;
import static dev.parley.server.api.Access.NONE;
import static dev.parley.server.api.Access.TOKEN;
import static dev.parley.server.api.Access.TOKEN_IF_GIVEN;
import static dev.parley.server.api.Access.TOKEN_OR_TICKET;

import dev.parley.server.api.AccessGate;
import dev.parley.server.api.Caller;
import dev.parley.server.api.CrossSiteRules;
import dev.parley.server.api.RestApi;
import dev.parley.server.api.RestEndpoint;
import dev.parley.server.api.Route;
import dev.parley.server.api.RouteTable;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Every HTTP endpoint of the server, one line each, and the gate each request passes before its
 * endpoint runs. Both pipeline stages route through here: the streaming one before the body
 * aggregator takes requests whose route is {@link HttpEndpoint.Streamed}, the other handles the
 * rest. Thread-safe.
 */
final class HttpRoutes {
  /** Methods that change nothing: a cross-site page may send them (and cannot read the answer). */
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  private final RouteTable<HttpEndpoint> table;
  private final AccessGate gate;

  HttpRoutes(RouteTable<HttpEndpoint> table, AccessGate gate) {
    this.table = table;
    this.gate = gate;
  }

  /**
   * The public HTTP port's routes.
   *
   * @param metricsWithToken serve {@code /metrics} (to the metrics-token only); without it the
   *     path is unknown here and only the admin listener serves it
   */
  static RouteTable<HttpEndpoint> table(
      RestApi rest, HttpEndpoint.Streamed uploads, FileDownloads downloads, WebClientRoutes webClient, WebSocketUpgrade webSocket,
      boolean metricsWithToken) {
    RouteTable.Builder<HttpEndpoint> table = RouteTable.<HttpEndpoint>builder()
        .add("POST", "/api/v1/register", NONE, jsonBody(rest::register))
        .add("POST", "/api/v1/login", NONE, jsonBody(rest::login))
        .add("POST", "/api/v1/logout", TOKEN, json(rest::logout))
        .add("GET", "/api/v1/users", TOKEN, json(rest::users))
        .add("GET", "/api/v1/messages", TOKEN, json(rest::messages))
        .add("POST", "/api/v1/messages", TOKEN, jsonBody(rest::send))
        .add("POST", "/api/v1/rooms", TOKEN, jsonBody(rest::createRoom))
        .add("GET", "/api/v1/rooms", TOKEN, json(rest::rooms))
        .add("GET", "/api/v1/conversations", TOKEN, json(rest::conversations))
        .add("PUT", "/api/v1/conversations/notify", TOKEN, jsonBody(rest::notifyLevel))
        .add("GET", "/api/v1/search", TOKEN, json(rest::search))
        .add("GET", "/api/v1/password-policy", NONE, json(rest::passwordPolicy))
        .add("GET", "/api/v1/registration", NONE, json(rest.account()::registration))
        .add("GET", "/api/v1/account", TOKEN, json(rest.account()::account))
        .add("POST", "/api/v1/account/password", TOKEN, jsonBody(rest.account()::changePassword))
        .add("GET", "/api/v1/account/sessions", TOKEN, json(rest.account()::sessions))
        .add("DELETE", "/api/v1/account/sessions/{id}", TOKEN, json(rest.account()::endSession))
        .add("POST", "/api/v1/account/sessions/end-others", TOKEN, json(rest.account()::endOtherSessions))
        .add("GET", "/api/v1/admin/users", ADMIN, json(rest.admin()::users))
        .add("POST", "/api/v1/admin/users/{name}/reset-password", ADMIN, json(rest.admin()::resetPassword))
        .add("POST", "/api/v1/admin/users/{name}/disable", ADMIN, json(rest.admin()::disable))
        .add("POST", "/api/v1/admin/users/{name}/enable", ADMIN, json(rest.admin()::enable))
        .add("POST", "/api/v1/admin/users/{name}/admin", ADMIN, json(rest.admin()::grantAdmin))
        .add("DELETE", "/api/v1/admin/users/{name}/admin", ADMIN, json(rest.admin()::revokeAdmin))
        .add("DELETE", "/api/v1/admin/users/{name}", ADMIN, json(rest.admin()::delete))
        .add("POST", "/api/v1/admin/invites", ADMIN, jsonBody(rest.admin()::createInvite))
        .add("GET", "/api/v1/admin/invites", ADMIN, json(rest.admin()::invites))
        .add("DELETE", "/api/v1/admin/invites/{id}", ADMIN, json(rest.admin()::revokeInvite))
        .add("GET", "/healthz", NONE, json(rest::health));
    if (metricsWithToken) {
      table.add("GET", "/metrics", METRICS_TOKEN, json(rest::metrics));
    }
    return table
        .add("GET", WebSocketUpgrade.PATH, TOKEN_IF_GIVEN, webSocket)
        .add("OPTIONS", UploadExchange.PATH, NONE, uploads)
        .add("POST", UploadExchange.PATH, TOKEN, uploads)
        .add("OPTIONS", UploadExchange.PATH + "/{id}", NONE, uploads)
        .add("HEAD", UploadExchange.PATH + "/{id}", TOKEN, uploads)
        .add("PATCH", UploadExchange.PATH + "/{id}", TOKEN, uploads)
        .add("DELETE", UploadExchange.PATH + "/{id}", TOKEN, uploads)
        .add("GET", "/api/v1/files/{id}", TOKEN_OR_TICKET, downloads)
        .add("HEAD", "/api/v1/files/{id}", TOKEN_OR_TICKET, downloads)
        .add("DELETE", "/api/v1/files/{id}", TOKEN, json(downloads::delete))
        .add("POST", "/api/v1/files/{id}/ticket", TOKEN, json(downloads::ticket))
        .add("GET", "/", NONE, webClient)
        .add("HEAD", "/", NONE, webClient)
        .add("GET", "/static/{file...}", NONE, webClient)
        .add("HEAD", "/static/{file...}", NONE, webClient)
        .build();
  }

  /** The admin listener's routes: for monitoring, on an address browsers and the public do not reach. */
  static RouteTable<HttpEndpoint> adminTable(RestApi rest) {
    return RouteTable.<HttpEndpoint>builder()
        .add("GET", "/metrics", NONE, json(rest::metrics))
        .add("GET", "/healthz", NONE, json(rest::health))
        .build();
  }

  /** A JSON endpoint that reads no body. */
  private static HttpEndpoint json(RestEndpoint endpoint) {
    return new HttpEndpoint.Json(endpoint, false);
  }

  /** A JSON endpoint that reads a JSON body: one declared {@code application/json}. */
  private static HttpEndpoint jsonBody(RestEndpoint endpoint) {
    return new HttpEndpoint.Json(endpoint, true);
  }

  RouteTable.Lookup<HttpEndpoint> find(String method, String path) {
    return table.find(method, path);
  }

  /** The caller, once the route's {@link dev.parley.server.api.Access} is satisfied. */
  CompletableFuture<Caller> admit(Route<HttpEndpoint> route, HttpRequest request, QueryStringDecoder uri, Map<String, String> pathParams) {
    // The route's method may be one named by X-HTTP-Method-Override: either unsafe one changes state.
    boolean changesState = !SAFE_METHODS.contains(route.method())
        || !SAFE_METHODS.contains(request.method().name())
        || route.endpoint() instanceof WebSocketUpgrade;
    return gate.admit(
        route.access(),
        new CrossSiteRules.Provenance(
            request.headers().get(HttpHeaderNames.HOST),
            request.headers().get(HttpHeaderNames.ORIGIN),
            request.headers().get(HttpHeaderNames.CONTENT_TYPE),
            changesState,
            route.endpoint() instanceof HttpEndpoint.Json json && json.readsBody()),
        new AccessGate.Credentials(request.headers().get(HttpHeaderNames.AUTHORIZATION), uri.parameters(), pathParams));
  }
}
