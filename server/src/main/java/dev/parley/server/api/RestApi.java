package dev.parley.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.InvalidUtf8Exception;
import dev.parley.protocol.ParleyException;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.account.Authenticated;
import dev.parley.server.chat.ChatService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The HTTP JSON API under {@code /api/v1}, plus {@code /healthz} and {@code /metrics}. Every error
 * body is {@code {"error":{"code":...,"message":...}}}. Thread-safe.
 */
public final class RestApi {
  private static final String PREFIX = "/api/v1/";

  private record CredentialsBody(String username, String password) {}

  /** A typed list, so each message is written exactly as the {@code message} frame, type included. */
  private record MessagesBody(List<ServerFrame.Message> messages) {}

  /** {@code POST /api/v1/messages}: {@code id} is optional; give one to make retries safe. */
  private record SendBody(String id, String to, String text) {}

  private record AckBody(String id, long seq, long ts) {}

  private interface Handler extends Function<RestRequest, CompletableFuture<RestResponse>> {}

  private final Services services;
  private final ObjectMapper json;
  /** Handlers by path, then by method. */
  private final Map<String, Map<String, Handler>> routes = new LinkedHashMap<>();

  public RestApi(Services services, ObjectMapper json) {
    this.services = services;
    this.json = json;
    route("POST", PREFIX + "register", this::register);
    route("POST", PREFIX + "login", this::login);
    route("POST", PREFIX + "logout", this::logout);
    route("GET", PREFIX + "users", this::users);
    route("GET", PREFIX + "messages", this::messages);
    route("POST", PREFIX + "messages", this::send);
    route("GET", PREFIX + "password-policy",
        request -> CompletableFuture.completedFuture(ok(services.accounts().passwordPolicy())));
    route("GET", "/healthz", request -> CompletableFuture.completedFuture(ok(Map.of("status", "ok"))));
    route("GET", "/metrics", this::metrics);
  }

  private void route(String method, String path, Handler handler) {
    routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, handler);
  }

  public CompletableFuture<RestResponse> handle(RestRequest request) {
    Map<String, Handler> methods = routes.get(request.path());
    if (methods == null) {
      return CompletableFuture.completedFuture(error(new ParleyException(ErrorCode.NOT_FOUND, "no such endpoint")));
    }
    Handler handler = methods.get(request.method());
    if (handler == null) {
      return CompletableFuture.completedFuture(methodNotAllowed(String.join(", ", methods.keySet())));
    }
    try {
      return handler.apply(request).exceptionally(e -> error(Replies.toParleyException(e)));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(error(Replies.toParleyException(e)));
    }
  }

  /** The token from {@code Authorization: Bearer T}, or null. */
  public static String bearerToken(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).strip();
    return token.isEmpty() ? null : token;
  }

  private CompletableFuture<RestResponse> register(RestRequest request) {
    CredentialsBody body = credentials(request);
    return services.accounts().register(body.username(), body.password())
        .thenApply(user -> json(201, Map.of("username", user.username())));
  }

  private CompletableFuture<RestResponse> login(RestRequest request) {
    CredentialsBody body = credentials(request);
    return services.accounts().login(body.username(), body.password(), request.remoteAddress())
        .thenApply(
            loggedIn -> ok(Map.of("token", loggedIn.token(), "username", loggedIn.authenticated().user().username())));
  }

  private CompletableFuture<RestResponse> logout(RestRequest request) {
    return authenticated(request)
        .thenCompose(user -> services.accounts().logout(user.tokenHash()))
        .thenApply(done -> RestResponse.noContent());
  }

  private CompletableFuture<RestResponse> users(RestRequest request) {
    return authenticated(request)
        .thenCompose(user -> {
          boolean onlineOnly = "true".equalsIgnoreCase(request.queryParam("online"));
          int limit = Replies.pageSize(intParam(request, "limit"), services.usersPageDefault(), services.usersPageMax());
          return services.directory().list(request.queryParam("prefix"), onlineOnly, limit);
        })
        .thenApply(list -> ok(Map.of("users", list)));
  }

  private CompletableFuture<RestResponse> messages(RestRequest request) {
    return authenticated(request)
        .thenCompose(user -> {
          String with = request.queryParam("with");
          if (with == null) {
            throw new ParleyException(ErrorCode.BAD_REQUEST, "query parameter 'with' is required");
          }
          Long before = numberParam(request, "before", Long::valueOf);
          int limit = Replies.pageSize(intParam(request, "limit"), services.historyPageDefault(), services.historyPageMax());
          return services.chat().history(user.user(), with, before, limit);
        })
        .thenApply(list -> ok(new MessagesBody(list)));
  }

  /**
   * A one-shot send for scripts: stored and delivered exactly like a {@code send} frame, without
   * a live connection, so nothing is replayed to (and marked delivered by) the caller.
   */
  private CompletableFuture<RestResponse> send(RestRequest request) {
    return authenticated(request)
        .thenCompose(user -> {
          SendBody body = body(request, SendBody.class, "a JSON object with string fields to, text and optionally id");
          if (body.to() == null || body.text() == null) {
            throw new ParleyException(ErrorCode.BAD_REQUEST, "to and text are required");
          }
          String id = body.id() != null ? body.id() : UUID.randomUUID().toString();
          return services.chat().send(user.user(), ChatService.NO_SESSION, id, body.to(), body.text());
        })
        .thenApply(ack -> json(201, new AckBody(ack.id(), ack.seq(), ack.ts())));
  }

  private CompletableFuture<RestResponse> metrics(RestRequest request) {
    byte[] body = services.metrics().scrape().getBytes(StandardCharsets.UTF_8);
    return CompletableFuture.completedFuture(
        new RestResponse(200, "text/plain; version=0.0.4; charset=utf-8", body, Map.of()));
  }

  private CompletableFuture<Authenticated> authenticated(RestRequest request) {
    String token = bearerToken(request.authorization());
    if (token == null) {
      return CompletableFuture.failedFuture(
          new ParleyException(ErrorCode.UNAUTHORIZED, "send Authorization: Bearer <token>"));
    }
    return services.accounts().authenticate(token);
  }

  private CredentialsBody credentials(RestRequest request) {
    CredentialsBody body = body(request, CredentialsBody.class, "a JSON object with string fields username and password");
    if (body.username() == null || body.password() == null) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "username and password are required");
    }
    return body;
  }

  private <T> T body(RestRequest request, Class<T> type, String expected) {
    T body;
    try {
      body = json.readValue(request.body(), type);
    } catch (InvalidUtf8Exception e) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "body must be " + expected);
    }
    if (body == null) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "body must be " + expected);
    }
    return body;
  }

  private static Integer intParam(RestRequest request, String name) {
    return numberParam(request, name, Integer::valueOf);
  }

  private static <N extends Number> N numberParam(RestRequest request, String name, Function<String, N> parse) {
    String value = request.queryParam(name);
    if (value == null) {
      return null;
    }
    try {
      return parse.apply(value);
    } catch (NumberFormatException e) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "query parameter '" + name + "' must be an integer");
    }
  }

  private RestResponse ok(Object body) {
    return json(200, body);
  }

  public RestResponse json(int status, Object body) {
    try {
      return new RestResponse(status, RestResponse.JSON, json.writeValueAsBytes(body), Map.of());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("response not serialisable", e);
    }
  }

  public RestResponse error(ParleyException e) {
    RestResponse response = json(
        e.code().httpStatus(), Map.of("error", Map.of("code", e.code().wireName(), "message", e.getMessage())));
    if (e.retryAfterSeconds() != null) {
      return new RestResponse(
          response.status(), response.contentType(), response.body(), Map.of("Retry-After", e.retryAfterSeconds().toString()));
    }
    return response;
  }

  public RestResponse methodNotAllowed(String allowed) {
    RestResponse response = json(405, Map.of("error", Map.of("code", ErrorCode.BAD_REQUEST.wireName(), "message", "use " + allowed)));
    return new RestResponse(405, response.contentType(), response.body(), Map.of("Allow", allowed));
  }
}
