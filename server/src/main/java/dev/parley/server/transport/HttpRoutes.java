package dev.parley.server.transport;

import static dev.parley.server.api.Access.NONE;
import static dev.parley.server.api.Access.TOKEN;
import static dev.parley.server.api.Access.TOKEN_IF_GIVEN;
import static dev.parley.server.api.Access.TOKEN_OR_TICKET;

import dev.parley.server.api.AccessGate;
import dev.parley.server.api.Caller;
import dev.parley.server.api.RestApi;
import dev.parley.server.api.RestEndpoint;
import dev.parley.server.api.Route;
import dev.parley.server.api.RouteTable;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Every HTTP endpoint of the server, one line each, and the gate each request passes before its
 * endpoint runs. Both pipeline stages route through here: the streaming one before the body
 * aggregator takes requests whose route is {@link HttpEndpoint.Streamed}, the other handles the
 * rest. Thread-safe.
 */
final class HttpRoutes {
  private final RouteTable<HttpEndpoint> table;
  private final AccessGate gate;

  HttpRoutes(RouteTable<HttpEndpoint> table, AccessGate gate) {
    this.table = table;
    this.gate = gate;
  }

  static RouteTable<HttpEndpoint> table(
      RestApi rest, HttpEndpoint.Streamed uploads, FileDownloads downloads, WebClientRoutes webClient, WebSocketUpgrade webSocket) {
    return RouteTable.<HttpEndpoint>builder()
        .add("POST", "/api/v1/register", NONE, json(rest::register))
        .add("POST", "/api/v1/login", NONE, json(rest::login))
        .add("POST", "/api/v1/logout", TOKEN, json(rest::logout))
        .add("GET", "/api/v1/users", TOKEN, json(rest::users))
        .add("GET", "/api/v1/messages", TOKEN, json(rest::messages))
        .add("POST", "/api/v1/messages", TOKEN, json(rest::send))
        .add("POST", "/api/v1/rooms", TOKEN, json(rest::createRoom))
        .add("GET", "/api/v1/rooms", TOKEN, json(rest::rooms))
        .add("GET", "/api/v1/conversations", TOKEN, json(rest::conversations))
        .add("GET", "/api/v1/password-policy", NONE, json(rest::passwordPolicy))
        .add("GET", "/healthz", NONE, json(rest::health))
        .add("GET", "/metrics", NONE, json(rest::metrics))
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

  private static HttpEndpoint json(RestEndpoint endpoint) {
    return new HttpEndpoint.Json(endpoint);
  }

  RouteTable.Lookup<HttpEndpoint> find(String method, String path) {
    return table.find(method, path);
  }

  /** The caller, once the route's {@link dev.parley.server.api.Access} is satisfied. */
  CompletableFuture<Caller> admit(Route<HttpEndpoint> route, HttpRequest request, QueryStringDecoder uri, Map<String, String> pathParams) {
    return gate.admit(
        route.access(),
        new AccessGate.Credentials(request.headers().get(HttpHeaderNames.AUTHORIZATION), uri.parameters(), pathParams));
  }
}
