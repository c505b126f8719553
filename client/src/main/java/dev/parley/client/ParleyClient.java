package dev.parley.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The REST API of one Parley server ({@code /api/v1/...}) over the JDK's HTTP client.
 *
 * <p>Every method blocks until the server answers. A refusal from the server throws {@link
 * ParleyClientException} with the protocol's error code; no answer at all (refused connection,
 * timeout, interruption) throws {@link java.io.UncheckedIOException}. Thread-safe; one instance
 * can serve any number of threads. Tokens are sent only to the base address given here.
 */
public final class ParleyClient implements AutoCloseable {
  /** How long to wait for a TCP connection to the server. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** How long to wait for a whole response; registration and login include an Argon2 hash. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private record CredentialsBody(String username, String password) {}

  private record RegisteredBody(String username) {}

  private record TokenBody(String token, String username) {}

  private record UsersBody(List<ServerFrame.UserEntry> users) {}

  /** Each element is exactly a {@code message} frame, {@code type} included. */
  private record MessagesBody(List<ServerFrame.Message> messages) {}

  private record SendBody(String id, String to, String text) {}

  private record AckBody(String id, long seq, long ts) {}

  private record ErrorBody(ErrorDetail error) {}

  private record ErrorDetail(String code, String message) {}

  private final URI base;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final ObjectMapper json = new FrameCodec().mapper();

  /** A client of the server at {@code base}, e.g. {@code http://localhost:8080}. */
  public ParleyClient(URI base) {
    this(base, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
  }

  public ParleyClient(URI base, Duration connectTimeout, Duration requestTimeout) {
    this.base = ApiAddresses.normalize(base);
    this.requestTimeout = requestTimeout;
    // The server speaks HTTP/1.1 only; asking for h2c would add an Upgrade round to every first request.
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
  }

  /** The normalised base address, ending in {@code /}. */
  public URI base() {
    return base;
  }

  /** Creates an account; returns the username as stored (NFC-normalised). */
  public String register(String username, String password) {
    return post("register", new CredentialsBody(username, password), null, RegisteredBody.class).username();
  }

  public LoggedIn login(String username, String password) {
    TokenBody body = post("login", new CredentialsBody(username, password), null, TokenBody.class);
    return new LoggedIn(body.username(), body.token());
  }

  /** Revokes the token; every connection that used it is closed with {@code bye token_revoked}. */
  public void logout(String token) {
    post("logout", null, token, Void.class);
  }

  /**
   * Users sorted by name ignoring case, with their online state.
   *
   * @param onlineOnly when true, only users online now; null or false means everyone
   * @param prefix only names starting with this (ignoring case); null for all
   * @param limit page size, null for the server's default; the server caps it
   */
  public List<ServerFrame.UserEntry> users(String token, Boolean onlineOnly, String prefix, Integer limit) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("online", Boolean.TRUE.equals(onlineOnly) ? "true" : null);
    query.put("prefix", prefix);
    query.put("limit", limit);
    return get("users", query, token, UsersBody.class).users();
  }

  /**
   * One page of the conversation with {@code with}: the newest {@code limit} messages whose seq is
   * below {@code before} (all, when null), oldest first. To page backwards, pass the first seq of
   * the previous page as {@code before}.
   */
  public List<ServerFrame.Message> messages(String token, String with, Long before, Integer limit) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("with", with);
    query.put("before", before);
    query.put("limit", limit);
    return get("messages", query, token, MessagesBody.class).messages();
  }

  /**
   * Sends one message without a live connection (for scripts): it is stored and delivered like
   * any other, and nothing waiting for this user is replayed or marked delivered. Give the same
   * {@code id} to retry safely: a repeat returns the first ack.
   */
  public ServerFrame.Ack send(String token, String id, String to, String text) {
    AckBody ack = post("messages", new SendBody(id, to, text), token, AckBody.class);
    return new ServerFrame.Ack(ack.id(), ack.seq(), ack.ts());
  }

  /**
   * Opens a WebSocket to this server; see {@link ParleyConnection#connect}. The connection does not
   * use this client's HTTP connections, and closing this client leaves it open.
   */
  public ParleyConnection connect(String token, Long since, Consumer<ServerFrame> listener) {
    return ParleyConnection.connect(base, token, since, listener);
  }

  @Override
  public void close() {
    http.close();
  }

  private <T> T post(String endpoint, Object body, String token, Class<T> replyType) {
    HttpRequest.BodyPublisher publisher =
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(toJson(body));
    return send(request(ApiAddresses.rest(base, endpoint, Map.of()), token).POST(publisher), replyType);
  }

  private <T> T get(String endpoint, Map<String, Object> query, String token, Class<T> replyType) {
    return send(request(ApiAddresses.rest(base, endpoint, query), token).GET(), replyType);
  }

  private HttpRequest.Builder request(URI uri, String token) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("Accept", "application/json")
            .header("Content-Type", "application/json; charset=utf-8");
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private <T> T send(HttpRequest.Builder builder, Class<T> replyType) {
    HttpRequest request = builder.build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw TransportFailures.unreachable(request.uri(), e);
    } catch (InterruptedException e) {
      throw TransportFailures.interrupted(request.uri());
    }
    if (response.statusCode() >= 400) {
      throw failure(response);
    }
    if (replyType == Void.class) {
      return null;
    }
    try {
      return json.readValue(response.body(), replyType);
    } catch (IOException e) {
      throw new ParleyClientException(
          ErrorCode.INTERNAL_ERROR,
          "unreadable reply from " + request.uri() + ": "
              + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()),
          response.statusCode(),
          null);
    }
  }

  /** The server's error body when it sent one; otherwise (a proxy's HTML page, say) the status. */
  private ParleyClientException failure(HttpResponse<byte[]> response) {
    int status = response.statusCode();
    Long retryAfter = retryAfterSeconds(response);
    try {
      ErrorBody body = json.readValue(response.body(), ErrorBody.class);
      if (body != null && body.error() != null && body.error().code() != null) {
        return new ParleyClientException(
            ErrorCode.fromWireName(body.error().code()), body.error().message(), status, retryAfter);
      }
    } catch (IOException e) {
      // Not our JSON: fall through to a message built from the status line.
    }
    return new ParleyClientException(
        codeForStatus(status), "HTTP " + status + " from " + response.uri(), status, retryAfter);
  }

  static ErrorCode codeForStatus(int status) {
    return switch (status) {
      case 400 -> ErrorCode.BAD_REQUEST;
      case 401, 403 -> ErrorCode.UNAUTHORIZED;
      case 404 -> ErrorCode.NOT_FOUND;
      case 413 -> ErrorCode.TOO_LARGE;
      case 429 -> ErrorCode.RATE_LIMITED;
      default -> ErrorCode.INTERNAL_ERROR;
    };
  }

  /** Parley sends whole seconds; the HTTP-date form, which a proxy might send, is ignored. */
  private static Long retryAfterSeconds(HttpResponse<?> response) {
    try {
      OptionalLong seconds = response.headers().firstValueAsLong("Retry-After");
      return seconds.isPresent() ? seconds.getAsLong() : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private byte[] toJson(Object body) {
    try {
      return json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("request body not serialisable", e);
    }
  }
}
