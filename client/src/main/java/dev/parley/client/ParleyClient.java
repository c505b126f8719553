package dev.parley.client;

import com.fasterxml.jackson.annotation.JsonInclude;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The REST API of one Parley server ({@code /api/v1/...}) over the JDK's HTTP client, file
 * transfers included: resumable tus uploads and ranged downloads.
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

  /** {@code invite}: null on a server whose registration is open. */
  private record RegisterBody(String username, String password, String invite) {}

  private record RegisteredBody(String username) {}

  private record TokenBody(String token, String username) {}

  private record UsersBody(List<ServerFrame.UserEntry> users) {}

  /** Each element is exactly a {@code message} frame, {@code type} included. */
  private record MessagesBody(List<ServerFrame.Message> messages) {}

  /** To a user ({@code to}) or a room ({@code room}): the one that is null is left out. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  private record SendBody(String id, String to, String room, String text) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  private record CreateRoomBody(String name, List<String> members, Boolean open) {}

  private record RoomBody(ServerFrame.RoomInfo room) {}

  private record RoomsBody(List<ServerFrame.RoomSummary> rooms) {}

  private record ConversationsBody(List<ServerFrame.Conversation> conversations) {}

  private record AckBody(String id, long seq, long ts) {}

  private record SearchBody(String q, List<ServerFrame.Message> messages) {}

  private final URI base;
  private final ServerTrust trust;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final ObjectMapper json = new FrameCodec().mapper();
  private final FileApi files;
  /** Where uploads are remembered when the caller names no store. */
  private final UploadUrlStore uploadUrls = UploadUrlStore.inMemory();

  /**
   * A client of the server at {@code base}, e.g. {@code http://localhost:8080}; an {@code https}
   * server must have a certificate from a trusted CA that names its host.
   */
  public ParleyClient(URI base) {
    this(base, ServerTrust.certificateAuthorities());
  }

  /** A client of the server at {@code base} that accepts the certificate {@code trust} accepts (a pinned one, say). */
  public ParleyClient(URI base, ServerTrust trust) {
    this(base, trust, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
  }

  public ParleyClient(URI base, Duration connectTimeout, Duration requestTimeout) {
    this(base, ServerTrust.certificateAuthorities(), connectTimeout, requestTimeout);
  }

  public ParleyClient(URI base, ServerTrust trust, Duration connectTimeout, Duration requestTimeout) {
    this.base = ApiAddresses.normalize(base);
    this.trust = trust;
    this.requestTimeout = requestTimeout;
    // The server speaks HTTP/1.1 only; asking for h2c would add an Upgrade round to every first request.
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .sslContext(trust.sslContext())
        .build();
    this.files = new FileApi(this.base, http, json, requestTimeout);
  }

  /**
   * {@code base} as a client uses it: an absolute http(s) address ending in {@code /}.
   *
   * @throws IllegalArgumentException when it is not an http(s) address
   */
  public static URI normalize(URI base) {
    return ApiAddresses.normalize(base);
  }

  /** Which certificate this client accepts from an {@code https} server. */
  public ServerTrust trust() {
    return trust;
  }

  /** The normalised base address, ending in {@code /}. */
  public URI base() {
    return base;
  }

  /** Creates an account; returns the username as stored (NFC-normalised). */
  public String register(String username, String password) {
    return register(username, password, null);
  }

  /** As {@link #register(String, String)}, with an invite code for a server whose registration is by invite. */
  public String register(String username, String password, String invite) {
    return post("register", new RegisterBody(username, password, invite), null, RegisteredBody.class).username();
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
    return page(token, "with", with, before, limit);
  }

  /**
   * Sends one message without a live connection (for scripts): it is stored and delivered like
   * any other, and nothing waiting for this user is replayed or marked delivered. Give the same
   * {@code id} to retry safely: a repeat returns the first ack.
   */
  public ServerFrame.Ack send(String token, String id, String to, String text) {
    return ack(post("messages", new SendBody(id, to, null, text), token, AckBody.class));
  }

  /**
   * Sends one message to room {@code room} (its id) without a live connection, as {@link #send}
   * does to a user. Only members may post: others get {@code forbidden} (an open room) or {@code
   * not_found}.
   */
  public ServerFrame.Ack sendToRoom(String token, String id, String room, String text) {
    return ack(post("messages", new SendBody(id, null, room, text), token, AckBody.class));
  }

  /**
   * One page of room {@code room}'s log, membership entries included, paged as {@link #messages}.
   * For members only.
   */
  public List<ServerFrame.Message> roomMessages(String token, String room, Long before, Integer limit) {
    return page(token, "room", room, before, limit);
  }

  /** A page of {@code GET messages} for the conversation {@code kind} ({@code with} or {@code room}) names. */
  private List<ServerFrame.Message> page(String token, String kind, String conversation, Long before, Integer limit) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put(kind, conversation);
    query.put("before", before);
    query.put("limit", limit);
    return get("messages", query, token, MessagesBody.class).messages();
  }

  /**
   * Searches the messages the caller can see for {@code query} (a substring, any case), newest
   * first: all their conversations, or one room ({@code room}) or the direct conversation with
   * {@code with} (at most one of the two). To page, pass the last hit's seq as {@code before};
   * {@code limit} null means 20 (the server caps it at 100).
   */
  public List<ServerFrame.Message> search(String token, String query, String room, String with, Long before, Integer limit) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("q", query);
    parameters.put("room", room);
    parameters.put("with", with);
    parameters.put("before", before);
    parameters.put("limit", limit);
    return get("search", parameters, token, SearchBody.class).messages();
  }

  /**
   * Creates a room with the caller as its owner and {@code members} (usernames; null or empty for
   * none) as members; an open room is listed in the directory for anyone to join.
   */
  public ServerFrame.RoomInfo createRoom(String token, String name, List<String> members, boolean open) {
    return post("rooms", new CreateRoomBody(name, members, open ? true : null), token, RoomBody.class).room();
  }

  /** The rooms the caller belongs to, newest activity first, with the caller's unread counts. */
  public List<ServerFrame.RoomSummary> rooms(String token) {
    return get("rooms", Map.of(), token, RoomsBody.class).rooms();
  }

  /**
   * Every room of the caller and every direct conversation with a message, newest activity first,
   * with unread counts and the newest message: what a client shows after a login.
   */
  public List<ServerFrame.Conversation> conversations(String token) {
    return get("conversations", Map.of(), token, ConversationsBody.class).conversations();
  }

  /** Uploads a file with the {@link UploadOptions#defaults() default options}; see {@link #upload(String, Path, String, UploadOptions)}. */
  public ServerFrame.Message upload(String token, Path file, String to) {
    return upload(token, file, to, UploadOptions.defaults());
  }

  /**
   * Sends a file to {@code to} with a resumable (tus 1.0) upload, and returns the file message the
   * recipient gets, once the server has committed it. The file's SHA-256 is computed first and
   * declared, so the server refuses a file that arrives different; chunks are verified one by one.
   *
   * <p>An upload that fails part-way is remembered in the options' {@link UploadUrlStore}: calling
   * this again for the same, unchanged file and recipient resumes from the server's offset instead
   * of starting over. Within a call, failures a retry can fix are retried (see {@link
   * UploadOptions#retryDelays()}). A {@link ProgressListener} that throws stops the upload at once
   * and its exception is rethrown here; the upload stays resumable.
   *
   * @throws ParleyClientException when the server refuses: no such recipient ({@code bad_request}),
   *     over the size limit ({@code too_large}), the file changed while it was sent ({@code
   *     checksum_mismatch}), too many uploads in progress ({@code rate_limited})
   * @throws java.io.UncheckedIOException when the file cannot be read or the server not reached
   *     (after the retries)
   */
  public ServerFrame.Message upload(String token, Path file, String to, UploadOptions options) {
    return upload(token, file, UploadTarget.user(to), options);
  }

  /**
   * Sends a file to room {@code room} (its id), as {@link #upload(String, Path, String,
   * UploadOptions)} does to a user: every current member may download it. A room the caller is
   * not a member of is refused ({@code not_found} or {@code forbidden}).
   */
  public ServerFrame.Message uploadToRoom(String token, Path file, String room, UploadOptions options) {
    return upload(token, file, UploadTarget.room(room), options);
  }

  private ServerFrame.Message upload(String token, Path file, UploadTarget target, UploadOptions options) {
    UploadUrlStore store = options.urlStore() != null ? options.urlStore() : uploadUrls;
    return new ResumableUpload(files, this, token, file, target, options, store).run();
  }

  /**
   * Downloads file {@code fileId} to {@code target}, resuming an earlier interrupted download of
   * it to the same target. Bytes go to {@code target + ".part"} (with the file's ETag beside it in
   * {@code target + ".part.etag"}) and are checked against the file's SHA-256 before they replace
   * {@code target} atomically; a mismatch removes the part and throws. Only the file's sender and
   * recipient may download it; to anyone else it does not exist ({@code not_found}).
   *
   * @return {@code target} as an absolute path
   */
  public Path download(String token, String fileId, Path target, ProgressListener progress) {
    return new ResumableDownload(files, token, fileId, target, progress).run();
  }

  /**
   * What the server says about a file, without its bytes: its name (made safe to use as a local
   * file name; the id when the server gives none), size and SHA-256. The type is always null: the
   * server serves every file as bytes.
   */
  public ServerFrame.FileRef fileInfo(String token, String fileId) {
    HttpRequest request =
        files.request(files.file(fileId), token, requestTimeout).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
    HttpResponse<byte[]> response = files.exchange(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() == 410) {
      throw new ParleyClientException(ErrorCode.GONE, "the sender deleted this file", 410, null);
    }
    if (response.statusCode() != 200) {
      throw files.headFailure(response, "no such file");
    }
    String name = ContentDisposition.fileName(response.headers().firstValue("Content-Disposition").orElse(null));
    String etag = response.headers().firstValue("ETag").orElse("");
    String sha256 = etag.length() > 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : null;
    return new ServerFrame.FileRef(
        fileId, name != null ? name : fileId, FileApi.longHeader(response, "Content-Length"), sha256, null);
  }

  /**
   * Deletes a file the caller sent: its bytes leave the server and the caller's storage quota;
   * its message stays in the history, and downloading it is {@code gone} from then on. Only the
   * sender may delete a file; to anyone else it does not exist ({@code not_found}).
   */
  public void deleteFile(String token, String fileId) {
    send(request(files.file(fileId), token).DELETE(), Void.class);
  }

  /**
   * Opens a WebSocket to this server; see {@link ParleyConnection#connect}. The connection does not
   * use this client's HTTP connections, and closing this client leaves it open.
   */
  public ParleyConnection connect(String token, Long since, Consumer<ServerFrame> listener) {
    return ParleyConnection.connect(base, trust, token, since, listener);
  }

  @Override
  public void close() {
    http.close();
  }

  private static ServerFrame.Ack ack(AckBody body) {
    return new ServerFrame.Ack(body.id(), body.seq(), body.ts());
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

  private ParleyClientException failure(HttpResponse<byte[]> response) {
    return ErrorReplies.failure(json, response.uri(), response.statusCode(), response.headers(), response.body());
  }

  private byte[] toJson(Object body) {
    try {
      return json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("request body not serialisable", e);
    }
  }
}
