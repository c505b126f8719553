package dev.parley.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.InvalidUtf8Exception;
import dev.parley.protocol.ParleyException;
import dev.parley.protocol.NotifyLevel;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.chat.ChatService;
import dev.parley.server.config.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The JSON endpoints of the HTTP API under {@code /api/v1}, plus {@code /healthz} and
 * {@code /metrics}, which the transport's route table points at. Every error body is
 * {@code {"error":{"code":...,"message":...}}}. Thread-safe.
 */
public final class RestApi {
  /**
   * {@code invite}: register only, an invite code; {@code newPassword}: login only, to replace a
   * password an admin reset.
   */
  private record CredentialsBody(String username, String password, String invite, String newPassword) {}

  /** A typed list, so each message is written exactly as the {@code message} frame, type included. */
  private record MessagesBody(List<ServerFrame.Message> messages) {}

  /** A room's page: typed like {@link MessagesBody}, so each message carries {@code "type":"message"}. */
  private record RoomMessagesBody(String room, List<ServerFrame.Message> messages) {}

  /** {@code POST /api/v1/messages}: {@code id} is optional; give one to make retries safe. */
  private record SendBody(String id, String to, String room, String text) {}

  /** {@code POST /api/v1/rooms}: the fields of a {@code create_room} frame. */
  private record CreateRoomBody(String name, List<String> members, Boolean open) {}

  private record AckBody(String id, long seq, long ts) {}

  /** {@code GET /api/v1/search}: typed like {@link MessagesBody}. */
  private record SearchBody(String q, List<ServerFrame.Message> messages) {}

  /** {@code PUT /api/v1/conversations/notify}: the fields of a {@code notify} frame. */
  private record NotifyBody(String room, String with, String level) {}

  /** {@code /healthz} when something is wrong: what, by check. */
  private record UnhealthyBody(String status, Map<String, String> checks) {}

  /** {@code GET /api/v1/password-policy}: its own record, so that the config's names are not the API's. */
  private record PasswordPolicyBody(int minLength, int maxLength, boolean requireLetter, boolean requireDigit) {}

  private final Services services;
  private final ObjectMapper json;
  private final AccountApi account;
  private final AdminApi admin;

  public RestApi(Services services, ObjectMapper json) {
    this.services = services;
    this.json = json;
    this.account = new AccountApi(services, this);
    this.admin = new AdminApi(services, this);
  }

  /** The caller's own account: password, sessions. */
  public AccountApi account() {
    return account;
  }

  /** The admin API: users and invites. */
  public AdminApi admin() {
    return admin;
  }

  /**
   * Runs an endpoint once the gate has let its caller in; any failure, the gate's included,
   * becomes the JSON error reply.
   */
  public CompletableFuture<RestResponse> handle(CompletableFuture<Caller> admitted, RestEndpoint endpoint, RestRequest request) {
    return admitted
        .thenCompose(caller -> endpoint.handle(request, caller))
        .exceptionally(e -> error(Replies.toParleyException(e)));
  }

  public CompletableFuture<RestResponse> register(RestRequest request, Caller caller) {
    CredentialsBody body = credentials(request);
    return services.accounts().register(body.username(), body.password(), body.invite(), request.remoteAddress())
        .thenApply(user -> json(201, Map.of("username", user.username())));
  }

  public CompletableFuture<RestResponse> login(RestRequest request, Caller caller) {
    CredentialsBody body = credentials(request);
    return services.accounts()
        .login(body.username(), body.password(), body.newPassword(), request.remoteAddress(), request.userAgent())
        .thenApply(
            loggedIn -> ok(Map.of("token", loggedIn.token(), "username", loggedIn.authenticated().user().username())));
  }

  public CompletableFuture<RestResponse> logout(RestRequest request, Caller caller) {
    return services.accounts().logout(caller.user().tokenHash())
        .thenApply(done -> RestResponse.noContent());
  }

  public CompletableFuture<RestResponse> users(RestRequest request, Caller caller) {
    boolean onlineOnly = "true".equalsIgnoreCase(request.queryParam("online"));
    int limit = Replies.pageSize(intParam(request, "limit"), services.users());
    return services.directory().list(request.queryParam("prefix"), onlineOnly, limit)
        .thenApply(list -> ok(Map.of("users", WireForms.users(list))));
  }

  public CompletableFuture<RestResponse> messages(RestRequest request, Caller caller) {
    String with = request.queryParam("with");
    String room = request.queryParam("room");
    if ((with == null) == (room == null)) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "give exactly one of the query parameters 'with' and 'room'");
    }
    Long before = numberParam(request, "before", Long::valueOf);
    int limit = Replies.pageSize(intParam(request, "limit"), services.history());
    if (room != null) {
      return services.chat().roomHistory(caller.user().user(), room, before, limit)
          .thenApply(list -> ok(new RoomMessagesBody(room, WireForms.messages(list))));
    }
    return services.chat().history(caller.user().user(), with, before, limit)
        .thenApply(list -> ok(new MessagesBody(WireForms.messages(list))));
  }

  /** {@code POST /api/v1/rooms}: 201 with {@code {room:{room, name, open, members}}}, as the {@code room} frame. */
  public CompletableFuture<RestResponse> createRoom(RestRequest request, Caller caller) {
    CreateRoomBody body = body(request, CreateRoomBody.class, "a JSON object with a string field name, and optionally members and open");
    if (body.name() == null) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "name is required");
    }
    List<String> members = body.members() == null ? List.of() : body.members();
    if (members.stream().anyMatch(Objects::isNull)) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "members must hold only strings");
    }
    return services.chat().rooms().create(caller.user().user(), body.name(), members, Boolean.TRUE.equals(body.open()))
        .thenApply(room -> json(201, Map.of("room", room)));
  }

  public CompletableFuture<RestResponse> rooms(RestRequest request, Caller caller) {
    return services.chat().rooms().roomsOf(caller.user().user())
        .thenApply(list -> ok(Map.of("rooms", WireForms.rooms(list))));
  }

  public CompletableFuture<RestResponse> conversations(RestRequest request, Caller caller) {
    return services.chat().conversations(caller.user().user())
        .thenApply(list -> ok(Map.of("conversations", WireForms.conversations(list))));
  }

  /** {@code GET /api/v1/search?q=…}: as the {@code search} frame, without its type and id. */
  public CompletableFuture<RestResponse> search(RestRequest request, Caller caller) {
    String q = request.queryParam("q");
    String with = request.queryParam("with");
    String room = request.queryParam("room");
    if (q == null) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "query parameter 'q' is required");
    }
    if (with != null && room != null) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "give at most one of the query parameters 'with' and 'room'");
    }
    int limit = Replies.pageSize(intParam(request, "limit"), ClientConnection.SEARCH_PAGES);
    return services.chat().search().search(caller.user().user(), q, room, with, numberParam(request, "before", Long::valueOf), limit)
        .thenApply(found -> ok(new SearchBody(q, WireForms.messages(found))));
  }

  /** {@code PUT /api/v1/conversations/notify}: the {@code notify} reply's fields, pushed to the caller's sessions. */
  public CompletableFuture<RestResponse> notifyLevel(RestRequest request, Caller caller) {
    NotifyBody body = body(request, NotifyBody.class, "a JSON object with string fields room or with, and level");
    if ((body.room() == null) == (body.with() == null) || body.level() == null) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "level and one of room and with are required");
    }
    NotifyLevel level;
    try {
      level = NotifyLevel.fromWireName(body.level());
    } catch (IllegalArgumentException e) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, e.getMessage());
    }
    return services.chat().notifyLevels().set(caller.user().user(), ChatService.NO_SESSION, null, body.room(), body.with(), level)
        .thenApply(reply -> ok(new NotifyBody(reply.room(), reply.with(), reply.level().wireName())));
  }

  /**
   * A one-shot send for scripts: stored and delivered exactly like a {@code send} frame, without
   * a live connection, so nothing is replayed to (and marked delivered by) the caller.
   */
  public CompletableFuture<RestResponse> send(RestRequest request, Caller caller) {
    SendBody body = body(request, SendBody.class, "a JSON object with string fields to or room, text and optionally id");
    if ((body.to() == null) == (body.room() == null) || body.text() == null) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "text and one of to and room are required");
    }
    String id = body.id() != null ? body.id() : UUID.randomUUID().toString();
    return services.chat().send(caller.user().user(), ChatService.NO_SESSION, id, body.to(), body.room(), body.text())
        .thenApply(ack -> json(201, new AckBody(ack.id(), ack.seq(), ack.ts())));
  }

  public CompletableFuture<RestResponse> passwordPolicy(RestRequest request, Caller caller) {
    ServerConfig.PasswordPolicy policy = services.accounts().passwordPolicy();
    return CompletableFuture.completedFuture(ok(new PasswordPolicyBody(
        policy.minLength(), policy.maxLength(), policy.requireLetter(), policy.requireDigit())));
  }

  /** {@code {"status":"ok"}}, or 503 with what is wrong by check, so a supervisor notices a broken server. */
  public CompletableFuture<RestResponse> health(RestRequest request, Caller caller) {
    Map<String, String> problems = services.health().problems();
    if (problems.isEmpty()) {
      return CompletableFuture.completedFuture(ok(Map.of("status", "ok")));
    }
    return CompletableFuture.completedFuture(json(503, new UnhealthyBody("unhealthy", problems)));
  }

  public CompletableFuture<RestResponse> metrics(RestRequest request, Caller caller) {
    byte[] body = services.metrics().scrape().getBytes(StandardCharsets.UTF_8);
    return CompletableFuture.completedFuture(
        new RestResponse(200, "text/plain; version=0.0.4; charset=utf-8", body, Map.of()));
  }

  private CredentialsBody credentials(RestRequest request) {
    CredentialsBody body = body(request, CredentialsBody.class, "a JSON object with string fields username and password");
    if (body.username() == null || body.password() == null) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "username and password are required");
    }
    return body;
  }

  <T> T body(RestRequest request, Class<T> type, String expected) {
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

  static Integer intParam(RestRequest request, String name) {
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

  RestResponse ok(Object body) {
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
