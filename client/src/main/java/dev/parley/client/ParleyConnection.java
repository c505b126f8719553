package dev.parley.client;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.MalformedFrameException;
import dev.parley.protocol.NotifyLevel;
import dev.parley.protocol.ServerFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A live, authenticated WebSocket connection to a Parley server ({@code /api/v1/ws}).
 *
 * <p>Every frame the server sends reaches the listener, in arrival order, except the replies to
 * the requests that return a future ({@link #sendMessage}, {@link #ping}, the room and read
 * requests): those complete the returned future instead. An {@code
 * error} frame whose id belongs to such a request fails its future with a {@link
 * ParleyClientException}; errors with any other id, or none, go to the listener.
 *
 * <p>Thread-safe: any thread may send, and frames go out in the order the calls were made. The
 * listener runs on one thread at a time, and so do the completions of the returned futures (and
 * whatever non-async stages hang off them); nothing more is read while it runs, so it must not
 * block. Do not wait for a reply inside the listener: the reply could never be read.
 */
public final class ParleyConnection implements AutoCloseable {
  /** How long {@link #connect} waits for the upgrade and the server's {@code welcome}. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** How long {@link #close} waits for the server to answer the close before dropping the socket. */
  public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  /**
   * The longest text message accepted from the server, in chars. Far above the server's own frame
   * limit (64 KiB by default); it only stops a broken or hostile server from filling our memory.
   */
  public static final int MAX_MESSAGE_CHARS = 1 << 20;

  private static final System.Logger log = System.getLogger(ParleyConnection.class.getName());
  private static final FrameCodec CODEC = new FrameCodec();
  /**
   * One JDK client for every connection that trusts the same certificates, as its docs advise (a
   * process pins few); their threads are daemons.
   */
  private static final Map<ServerTrust, HttpClient> CLIENTS = new ConcurrentHashMap<>();

  /** A request waiting for its reply, which must be of {@code type}. */
  private record Pending<T extends ServerFrame>(Class<T> type, CompletableFuture<T> future) {
    boolean complete(ServerFrame frame) {
      return type.isInstance(frame) && future.complete(type.cast(frame));
    }
  }

  private final URI uri;
  private final Consumer<ServerFrame> listener;
  private final ConcurrentHashMap<String, Pending<?>> pending = new ConcurrentHashMap<>();
  private final CompletableFuture<ServerFrame.Welcome> welcome = new CompletableFuture<>();
  private final CompletableFuture<Disconnect> closed = new CompletableFuture<>();
  private final Object sendLock = new Object();
  /** The last send handed to the socket; the JDK allows one outstanding send at a time. */
  private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);
  private volatile WebSocket socket;
  private volatile String byeReason;

  private ParleyConnection(URI uri, Consumer<ServerFrame> listener) {
    this.uri = uri;
    this.listener = listener;
  }

  /**
   * Opens a connection authenticated with {@code token} at the upgrade ({@code Authorization:
   * Bearer}), and returns once the server's {@code welcome} has arrived. Right after it the
   * server replays stored messages to the listener: with {@code since}, every message to or from
   * the user with a greater seq; without, the messages not yet delivered to the user (which are
   * then marked delivered). A connection that only sends should pass {@link Long#MAX_VALUE}, so
   * that it does not take the user's undelivered messages away from their real client.
   *
   * @param base the server's HTTP base address, e.g. {@code http://localhost:8080}
   * @throws ParleyClientException when the server refuses the token ({@code unauthorized})
   * @throws java.io.UncheckedIOException when the server cannot be reached or does not welcome us
   */
  public static ParleyConnection connect(URI base, String token, Long since, Consumer<ServerFrame> listener) {
    return connect(base, ServerTrust.certificateAuthorities(), token, since, listener);
  }

  /** As {@link #connect(URI, String, Long, Consumer)}, to a {@code wss} server whose certificate {@code trust} accepts. */
  public static ParleyConnection connect(URI base, ServerTrust trust, String token, Long since, Consumer<ServerFrame> listener) {
    URI uri = ApiAddresses.webSocket(ApiAddresses.normalize(base), since);
    ParleyConnection connection = new ParleyConnection(uri, listener);
    HttpClient http = CLIENTS.computeIfAbsent(
        trust, t -> HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).sslContext(t.sslContext()).build());
    try {
      http.newWebSocketBuilder()
          .connectTimeout(CONNECT_TIMEOUT)
          .header("Authorization", "Bearer " + token)
          .buildAsync(uri, connection.new Reader())
          .get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw upgradeFailure(uri, e.getCause());
    } catch (TimeoutException e) {
      connection.abort();
      throw TransportFailures.unreachable(uri, e);
    } catch (InterruptedException e) {
      connection.abort();
      throw TransportFailures.interrupted(uri);
    }
    try {
      connection.welcome.get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return connection;
    } catch (ExecutionException e) {
      throw new UncheckedIOException(connection.connectionGone());
    } catch (TimeoutException e) {
      connection.abort();
      throw new UncheckedIOException(new IOException("no welcome from " + uri + " within " + CONNECT_TIMEOUT));
    } catch (InterruptedException e) {
      connection.abort();
      throw TransportFailures.interrupted(uri);
    }
  }

  /** The user this connection is authenticated as, as the server spells it. */
  public String username() {
    return welcome.join().username();
  }

  /** Sends any frame; completes when it is handed to the network. Replies go to the listener. */
  public CompletableFuture<Void> send(ClientFrame frame) {
    return sendText(CODEC.encodeToString(frame));
  }

  /** Sends a message with a fresh unique id; see {@link #sendMessage(String, String, String)}. */
  public CompletableFuture<ServerFrame.Ack> sendMessage(String to, String text) {
    return sendMessage(UUID.randomUUID().toString(), to, text);
  }

  /**
   * Sends a message; the future completes with the {@code ack} once the server has stored it
   * durably. The id identifies the message forever for this sender: sending again with the same
   * id (after a reconnect, say) gets the first ack again and never a second copy, so a caller that
   * did not see an ack can safely retry with the same id.
   *
   * @throws IllegalArgumentException when a request with this id is already waiting for its reply
   */
  public CompletableFuture<ServerFrame.Ack> sendMessage(String id, String to, String text) {
    return request(new ClientFrame.Send(id, to, text), ServerFrame.Ack.class);
  }

  /** Sends a message to a room with a fresh unique id; see {@link #sendToRoom(String, String, String)}. */
  public CompletableFuture<ServerFrame.Ack> sendToRoom(String room, String text) {
    return sendToRoom(UUID.randomUUID().toString(), room, text);
  }

  /**
   * Sends a message to room {@code room} (its id); completes with the {@code ack} as {@link
   * #sendMessage(String, String, String)} does, with the same idempotency. Every live connection
   * of every member gets it, this user's other connections included.
   */
  public CompletableFuture<ServerFrame.Ack> sendToRoom(String id, String room, String text) {
    return request(ClientFrame.Send.toRoom(id, room, text), ServerFrame.Ack.class);
  }

  /**
   * Creates a room whose owner is this user, with {@code members} (usernames, any casing) added;
   * an open room is listed in the {@link #roomDirectory() directory} for anyone to join.
   */
  public CompletableFuture<ServerFrame.RoomInfo> createRoom(String name, List<String> members, boolean open) {
    return roomRequest(new ClientFrame.CreateRoom(newId(), name, members, open ? true : null));
  }

  /** Adds users to a room (owners and admins; any member of an open room). Members already in are skipped. */
  public CompletableFuture<ServerFrame.RoomInfo> addMembers(String room, List<String> usernames) {
    return roomRequest(new ClientFrame.AddMembers(newId(), room, usernames));
  }

  /** Removes a member (owners and admins); their connections stop getting the room at once. */
  public CompletableFuture<ServerFrame.RoomInfo> removeMember(String room, String username) {
    return roomRequest(new ClientFrame.RemoveMember(newId(), room, username));
  }

  /** Leaves a room; completes with the room's id. */
  public CompletableFuture<String> leave(String room) {
    return request(new ClientFrame.Leave(newId(), room), ServerFrame.Left.class).thenApply(ServerFrame.Left::room);
  }

  /** Joins an open room; a member already in gets the room unchanged. */
  public CompletableFuture<ServerFrame.RoomInfo> join(String room) {
    return roomRequest(new ClientFrame.Join(newId(), room));
  }

  /** Renames a room (owners and admins). */
  public CompletableFuture<ServerFrame.RoomInfo> renameRoom(String room, String name) {
    return roomRequest(new ClientFrame.RenameRoom(newId(), room, name));
  }

  /** One room's details and members: for its members, and for anyone if it is open. */
  public CompletableFuture<ServerFrame.RoomInfo> room(String room) {
    return roomRequest(new ClientFrame.Room(newId(), room));
  }

  /** The rooms this user belongs to, newest activity first, with unread counts. */
  public CompletableFuture<List<ServerFrame.RoomSummary>> rooms() {
    return request(new ClientFrame.Rooms(newId()), ServerFrame.Rooms.class).thenApply(ServerFrame.Rooms::rooms);
  }

  /** The open rooms anyone may join, most members first. */
  public CompletableFuture<List<ServerFrame.DirectoryEntry>> roomDirectory() {
    return request(new ClientFrame.RoomDirectory(newId()), ServerFrame.RoomDirectory.class)
        .thenApply(ServerFrame.RoomDirectory::rooms);
  }

  /** Every room of this user and every direct conversation with a message, newest activity first. */
  public CompletableFuture<List<ServerFrame.Conversation>> conversations() {
    return request(new ClientFrame.Conversations(newId()), ServerFrame.Conversations.class)
        .thenApply(ServerFrame.Conversations::conversations);
  }

  /**
   * Marks room {@code room} read up to {@code seq}; completes with the read cursor as stored,
   * which only moves forward. This user's other connections get a {@code read} frame.
   */
  public CompletableFuture<Long> readRoom(String room, long seq) {
    return request(new ClientFrame.Read(newId(), room, null, seq), ServerFrame.Read.class).thenApply(ServerFrame.Read::seq);
  }

  /** Marks the direct conversation with {@code username} read up to {@code seq}; see {@link #readRoom}. */
  public CompletableFuture<Long> readDirect(String username, long seq) {
    return request(new ClientFrame.Read(newId(), null, username, seq), ServerFrame.Read.class).thenApply(ServerFrame.Read::seq);
  }

  /**
   * Tells the other members of room {@code room} that this user is typing. The server confirms
   * nothing and relays at most one every 2 s; an {@code error} about it reaches the listener.
   */
  public CompletableFuture<Void> typingInRoom(String room) {
    return send(new ClientFrame.Typing(newId(), room, null));
  }

  /** Tells user {@code username} that this user is typing to them; see {@link #typingInRoom}. */
  public CompletableFuture<Void> typingTo(String username) {
    return send(new ClientFrame.Typing(newId(), null, username));
  }

  /**
   * Searches the messages this user can see for {@code query} (a substring, any case), newest
   * first; {@code room} or {@code with} (at most one, or neither) narrows it to one conversation,
   * {@code before} (or null) to older hits, {@code limit} (or null for 20) caps the count.
   */
  public CompletableFuture<List<ServerFrame.Message>> search(String query, String room, String with, Long before, Integer limit) {
    return request(new ClientFrame.Search(newId(), query, room, with, before, limit), ServerFrame.Search.class)
        .thenApply(ServerFrame.Search::messages);
  }

  /**
   * Replaces the text of this user's message {@code seq}; completes with the {@code ack} of the
   * edit entry once stored. Retrying with the same id is safe, as for {@link #sendMessage}.
   */
  public CompletableFuture<ServerFrame.Ack> edit(String id, long seq, String text) {
    return request(new ClientFrame.Edit(id, seq, text), ServerFrame.Ack.class);
  }

  /** Deletes this user's message {@code seq}; completes with the {@code ack} of the delete entry, as {@link #edit}. */
  public CompletableFuture<ServerFrame.Ack> delete(String id, long seq) {
    return request(new ClientFrame.Delete(id, seq), ServerFrame.Ack.class);
  }

  /**
   * Sets which messages of room {@code room} or of the direct conversation {@code with} (one of
   * them null) notify this user; the level as stored. This user's other connections get a
   * {@code notify} frame.
   */
  public CompletableFuture<NotifyLevel> notifyLevel(String room, String with, NotifyLevel level) {
    return request(new ClientFrame.Notify(newId(), room, with, level), ServerFrame.Notify.class).thenApply(ServerFrame.Notify::level);
  }

  public CompletableFuture<ServerFrame.Pong> ping() {
    return request(new ClientFrame.Ping(newId()), ServerFrame.Pong.class);
  }

  /**
   * Replaces the list of users whose {@code presence} changes this connection hears about. The
   * server does not confirm it; an {@code error} about it reaches the listener.
   */
  public CompletableFuture<Void> watch(List<String> usernames) {
    return send(new ClientFrame.Watch(UUID.randomUUID().toString(), usernames));
  }

  /** Completes, never exceptionally, when the connection has ended for whatever reason. */
  public CompletableFuture<Disconnect> closed() {
    return closed;
  }

  /**
   * Starts an orderly close after the frames already sent; the server gets {@link
   * #CLOSE_TIMEOUT} to answer, then the socket is dropped. Returns {@link #closed()}.
   */
  public CompletableFuture<Disconnect> closeAsync() {
    if (closed.isDone()) {
      return closed;
    }
    chain(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "")).whenComplete((done, error) -> {
      if (error != null) {
        abort();
      }
    });
    CompletableFuture.delayedExecutor(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
      if (!closed.isDone()) {
        abort();
      }
    });
    return closed;
  }

  /**
   * Closes, waiting at most about {@link #CLOSE_TIMEOUT}. From inside the listener use {@link
   * #closeAsync} instead: waiting there holds back the very close frame being waited for.
   */
  @Override
  public void close() {
    closeAsync().join();
  }

  private CompletableFuture<ServerFrame.RoomInfo> roomRequest(ClientFrame frame) {
    return request(frame, ServerFrame.Room.class).thenApply(ServerFrame.Room::room);
  }

  private static String newId() {
    return UUID.randomUUID().toString();
  }

  private <T extends ServerFrame> CompletableFuture<T> request(ClientFrame frame, Class<T> replyType) {
    Pending<T> request = new Pending<>(replyType, new CompletableFuture<>());
    if (pending.putIfAbsent(frame.id(), request) != null) {
      throw new IllegalArgumentException("a request with id '" + frame.id() + "' is already waiting for its reply");
    }
    // finish() completes `closed` before it fails what is pending, so a request added meanwhile is seen here.
    if (closed.isDone()) {
      failPending(frame.id(), connectionGone());
      return request.future();
    }
    send(frame).whenComplete((sent, error) -> {
      if (error != null) {
        failPending(frame.id(), TransportFailures.unreachable(uri, error));
      }
    });
    return request.future();
  }

  private CompletableFuture<Void> sendText(String text) {
    return chain(ws -> ws.sendText(text, true));
  }

  /** Runs a socket operation once the previous one has finished, successfully or not. */
  private CompletableFuture<Void> chain(Function<WebSocket, CompletableFuture<WebSocket>> operation) {
    synchronized (sendLock) {
      CompletableFuture<Void> next =
          lastSend.handle((result, error) -> null).thenCompose(ignored -> operation.apply(socket)).thenApply(ws -> null);
      lastSend = next;
      return next;
    }
  }

  private void dispatch(String text) {
    ServerFrame frame;
    try {
      frame = CODEC.decodeServer(text);
    } catch (MalformedFrameException e) {
      // A newer server may send frame types this client does not know; skipping them keeps us compatible.
      log.log(Level.WARNING, "ignoring an unreadable frame from {0}: {1}", uri, e.getMessage());
      return;
    }
    switch (frame) {
      case ServerFrame.Welcome w -> {
        welcome.complete(w);
        deliver(w);
      }
      case ServerFrame.Ack ack -> completePendingOrDeliver(ack.id(), ack);
      case ServerFrame.Pong pong -> completePendingOrDeliver(pong.id(), pong);
      case ServerFrame.Error error -> {
        ParleyClientException refusal = new ParleyClientException(error.code(), error.message(), 0, error.retryAfter());
        if (error.id() == null || !failPending(error.id(), refusal)) {
          deliver(error);
        }
      }
      case ServerFrame.Bye bye -> {
        byeReason = bye.reason();
        deliver(bye);
      }
      case ServerFrame.Message message -> deliver(message);
      case ServerFrame.Presence presence -> deliver(presence);
      case ServerFrame.Registered registered -> deliver(registered);
      case ServerFrame.Users users -> deliver(users);
      case ServerFrame.History history -> deliver(history);
      case ServerFrame.Room room -> completePendingOrDeliver(room.id(), room);
      case ServerFrame.Left left -> completePendingOrDeliver(left.id(), left);
      case ServerFrame.Rooms rooms -> completePendingOrDeliver(rooms.id(), rooms);
      case ServerFrame.RoomDirectory directory -> completePendingOrDeliver(directory.id(), directory);
      case ServerFrame.Read read -> completePendingOrDeliver(read.id(), read);
      case ServerFrame.Conversations conversations -> completePendingOrDeliver(conversations.id(), conversations);
      case ServerFrame.Typing typing -> deliver(typing);
      case ServerFrame.User user -> deliver(user);
      case ServerFrame.Search search -> completePendingOrDeliver(search.id(), search);
      case ServerFrame.Notify notify -> completePendingOrDeliver(notify.id(), notify);
    }
  }

  private void completePendingOrDeliver(String id, ServerFrame reply) {
    Pending<?> request = id == null ? null : pending.get(id);
    if (request != null && request.type().isInstance(reply) && pending.remove(id, request)) {
      request.complete(reply);
      return;
    }
    deliver(reply);
  }

  private boolean failPending(String id, Throwable failure) {
    Pending<?> request = pending.remove(id);
    return request != null && request.future().completeExceptionally(failure);
  }

  private void deliver(ServerFrame frame) {
    try {
      listener.accept(frame);
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "connection listener failed on a " + frame.getClass().getSimpleName() + " frame", e);
    }
  }

  private void finish(Disconnect disconnect) {
    if (!closed.complete(disconnect)) {
      return;
    }
    welcome.completeExceptionally(connectionGone());
    pending.keySet().forEach(id -> failPending(id, connectionGone()));
  }

  private void abort() {
    WebSocket ws = socket;
    if (ws != null) {
      ws.abort();
    }
    finish(new Disconnect(byeReason, Disconnect.ABNORMAL_CLOSURE, null));
  }

  private IOException connectionGone() {
    String reason = byeReason;
    return new IOException("connection to " + uri + " closed" + (reason == null ? "" : " (" + reason + ")"));
  }

  private static RuntimeException upgradeFailure(URI uri, Throwable cause) {
    if (cause instanceof WebSocketHandshakeException refused) {
      HttpResponse<?> response = refused.getResponse();
      int status = response.statusCode();
      String message = status == 401 ? "unknown or expired token" : "WebSocket upgrade refused with HTTP " + status;
      return new ParleyClientException(ErrorReplies.codeForStatus(status), message, status, null);
    }
    return TransportFailures.unreachable(uri, cause);
  }

  /** Reassembles text messages that arrive in parts, and routes each whole one. */
  private final class Reader implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public void onOpen(WebSocket webSocket) {
      socket = webSocket;
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      if (partial.length() + data.length() > MAX_MESSAGE_CHARS) {
        webSocket.abort();
        finish(new Disconnect(byeReason, Disconnect.ABNORMAL_CLOSURE,
            new IOException("server sent a message over " + MAX_MESSAGE_CHARS + " chars")));
        return null;
      }
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        dispatch(text);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      finish(new Disconnect(byeReason, statusCode, null));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      finish(new Disconnect(byeReason, Disconnect.ABNORMAL_CLOSURE, error));
    }
  }
}
