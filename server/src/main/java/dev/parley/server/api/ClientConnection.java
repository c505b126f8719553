package dev.parley.server.api;

import dev.parley.protocol.ByeReason;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.MalformedFrameException;
import dev.parley.protocol.ParleyException;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.account.Authenticated;
import dev.parley.server.chat.Accepted;
import dev.parley.server.chat.RoomService;
import dev.parley.server.config.PageLimits;
import dev.parley.server.session.Outbound;
import dev.parley.server.session.Session;
import dev.parley.server.store.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The frame protocol of one connection, the same over TCP and WebSocket: the transport decodes
 * frames and hands them here; replies go out through the session's {@link Outbound}. Bad input
 * is answered with an {@code error} frame and the connection lives on. Thread-safe: frames
 * arrive on the connection's event loop, service completions on other threads.
 */
public final class ClientConnection {
  private enum State {
    ANONYMOUS,
    AUTHENTICATING,
    AUTHENTICATED,
    CLOSED
  }

  /** Frames a client may pipeline behind a login or register before it is refused: enough for any script. */
  static final int MAX_HELD_FRAMES = 256;
  /** Search pages: the protocol fixes them (PROTOCOL.md, search). */
  static final PageLimits SEARCH_PAGES = new PageLimits(20, 100);

  private final Services services;
  private final Session session;
  private final AtomicReference<State> state = new AtomicReference<>(State.ANONYMOUS);
  /**
   * Frames that arrived while a login, auth or register was in flight, run in order once it
   * settles, so that {@code login} then {@code send} on one line each works like any pipelined
   * protocol. It also means one connection has at most one password hash in flight, so a burst
   * of frames on it cannot fill the server's hashing queue. Non-null exactly while such a request
   * is in flight; guarded by {@code authenticationLock}.
   */
  private final Object authenticationLock = new Object();
  private List<Runnable> heldFrames;
  /** Replies not yet sent, counting a login, auth or register in flight as one; see {@link #onInputEnded}. */
  private final AtomicInteger unanswered = new AtomicInteger();
  private volatile boolean inputEnded;

  public ClientConnection(Services services, Outbound outbound) {
    this.services = services;
    this.session = new Session(outbound, services.connections().outboundQueueFrames());
  }

  public Session session() {
    return session;
  }

  public void onFrame(ClientFrame frame) {
    inOrder(() -> handle(frame), frame.id());
  }

  private void handle(ClientFrame frame) {
    try {
      // Each request holds server work (a database read, a commit) until it is answered: a client
      // that pipelines without waiting would otherwise queue work, and memory, without bound.
      int maxInFlight = services.connections().maxRequestsInFlight();
      if (!(frame instanceof ClientFrame.Ping) && unanswered.get() >= maxInFlight) {
        throw ParleyException.rateLimited(
            "more than " + maxInFlight + " requests unanswered on this connection; wait for their replies", 1);
      }
      dispatch(frame);
    } catch (ParleyException e) {
      session.send(ServerFrame.Error.of(e, frame.id()));
    }
  }

  public void onMalformed(MalformedFrameException e) {
    inOrder(() -> session.send(ServerFrame.Error.of(e.toParleyException(), e.requestId())), e.requestId());
  }

  /** Runs the handling of one inbound frame now, or after the login, auth or register in flight. */
  private void inOrder(Runnable handling, String requestId) {
    synchronized (authenticationLock) {
      if (heldFrames != null) {
        if (heldFrames.size() < MAX_HELD_FRAMES) {
          heldFrames.add(handling);
        } else {
          session.send(
              new ServerFrame.Error(requestId, ErrorCode.RATE_LIMITED, "too many frames while a login or registration is in progress", 1L));
        }
        return;
      }
    }
    handling.run();
  }

  /** Input that is not a frame at all, such as a binary WebSocket message. */
  public void onBadRequest(String message) {
    session.send(new ServerFrame.Error(null, ErrorCode.BAD_REQUEST, message, null));
  }

  /** The line or WebSocket message was over the limit: say so, then close. */
  public void onTooLarge(int maxFrameBytes) {
    session.send(
        new ServerFrame.Error(null, ErrorCode.TOO_LARGE, "frame over " + maxFrameBytes + " bytes", null));
    session.close(new ServerFrame.Bye(null, ByeReason.TOO_LARGE));
  }

  /** A WebSocket that presented a valid token at the upgrade starts authenticated. */
  public void onAuthenticatedUpgrade(Authenticated user, Long since) {
    beginAuthentication();
    welcome(user, null, null, since);
  }

  /**
   * The connection has had {@code auth-timeout-seconds} to log in or authenticate: one that has
   * not (a login still in flight included) is told so and closed, so that connections which never
   * authenticate do not hold the server's connection slots.
   */
  public void onAuthDeadline(Duration timeout) {
    synchronized (authenticationLock) {
      State current = state.get();
      if (current != State.ANONYMOUS && current != State.AUTHENTICATING) {
        return;
      }
      // A login completing later sees CLOSED and neither welcomes nor registers the session.
      state.set(State.CLOSED);
      heldFrames = null;
    }
    session.send(new ServerFrame.Error(
        null, ErrorCode.UNAUTHORIZED, "log in or authenticate within " + timeout.toSeconds() + " seconds", null));
    session.close(new ServerFrame.Bye(null, ByeReason.AUTH_TIMEOUT));
  }

  /**
   * The client shut down its sending side (TCP half-close) and will send no more frames: the
   * connection closes once everything it sent has been answered, not before, so that
   * {@code printf 'login…\nsend…\n' | nc -N} gets its welcome and ack.
   */
  public void onInputEnded() {
    inputEnded = true;
    closeIfAllAnswered();
  }

  private void closeIfAllAnswered() {
    if (inputEnded && unanswered.get() == 0) {
      session.close(new ServerFrame.Bye(null, ByeReason.END_OF_INPUT));
    }
  }

  /** Ends one unit of {@link #unanswered} work, after its reply was queued. */
  private void answered() {
    unanswered.decrementAndGet();
    closeIfAllAnswered();
  }

  public void onIdle() {
    session.close(new ServerFrame.Bye(null, ByeReason.IDLE));
  }

  public void onShutdown() {
    session.close(new ServerFrame.Bye(null, ByeReason.SHUTDOWN));
  }

  /** The transport closed; the session leaves the registry and its watches are dropped. */
  public void onClosed() {
    // Under the lock, so a login completing right now either sees CLOSED and does not register
    // the session, or has registered it already and the detach below removes it.
    synchronized (authenticationLock) {
      state.set(State.CLOSED);
      heldFrames = null;
    }
    services.chat().detach(session);
    services.presence().forget(session);
  }

  private void dispatch(ClientFrame frame) {
    switch (frame) {
      case ClientFrame.Ping ping -> session.send(new ServerFrame.Pong(ping.id()));
      case ClientFrame.Register register -> {
        holdFrames();
        unanswered.incrementAndGet();
        services.accounts().register(register.username(), register.password(), register.invite(), session.remoteAddress())
            .whenComplete(
                (user, error) -> {
                  synchronized (authenticationLock) {
                    session.send(
                        error == null
                            ? new ServerFrame.Registered(register.id(), user.username())
                            : ServerFrame.Error.of(Replies.toParleyException(error), register.id()));
                    runHeldFrames();
                  }
                  answered();
                });
      }
      case ClientFrame.Login login -> {
        beginAuthentication();
        unanswered.incrementAndGet();
        services.accounts().login(login.username(), login.password(), session.remoteAddress(), session.transport())
            .whenComplete(
                (loggedIn, error) -> {
                  if (error != null) {
                    failAuthentication(login.id(), error);
                  } else {
                    welcome(loggedIn.authenticated(), loggedIn.token(), login.id(), login.since());
                  }
                  answered();
                });
      }
      case ClientFrame.Auth auth -> {
        beginAuthentication();
        unanswered.incrementAndGet();
        services.accounts().authenticate(auth.token())
            .whenComplete(
                (user, error) -> {
                  if (error != null) {
                    failAuthentication(auth.id(), error);
                  } else {
                    welcome(user, null, auth.id(), auth.since());
                  }
                  answered();
                });
      }
      case ClientFrame.Send send -> {
        requireAuthenticated();
        reply(
            send.id(),
            services.chat().send(session.authenticated().user(), session.id(), send.id(), send.to(), send.room(), send.text())
                .thenApply(ClientConnection::ack));
      }
      case ClientFrame.Users users -> {
        requireAuthenticated();
        int limit = Replies.pageSize(users.limit(), services.users());
        reply(
            users.id(),
            services.directory().list(users.prefix(), Boolean.TRUE.equals(users.online()), limit)
                .thenApply(list -> new ServerFrame.Users(users.id(), WireForms.users(list))));
      }
      case ClientFrame.Watch watch -> {
        requireAuthenticated();
        services.presence().watch(session, watch.users());
      }
      case ClientFrame.History history -> {
        requireAuthenticated();
        int limit = Replies.pageSize(history.limit(), services.history());
        User user = session.authenticated().user();
        reply(
            history.id(),
            (history.room() != null
                    ? services.chat().roomHistory(user, history.room(), history.before(), limit)
                    : services.chat().history(user, history.with(), history.before(), limit))
                .thenApply(messages ->
                    new ServerFrame.History(history.id(), history.with(), history.room(), WireForms.messages(messages))));
      }
      case ClientFrame.Logout logout -> {
        requireAuthenticated();
        // Leave the registry first, so this connection gets its own bye (with the id) and not the
        // token_revoked one that the other connections of this login get; frames pipelined
        // behind the logout are refused.
        state.set(State.CLOSED);
        services.chat().detach(session);
        services.accounts().logout(session.authenticated().tokenHash())
            .whenComplete((done, error) -> session.close(new ServerFrame.Bye(logout.id(), ByeReason.LOGOUT)));
      }
      case ClientFrame.CreateRoom create -> roomReply(create.id(),
          rooms().create(user(), create.name(), create.members(), create.isOpen()));
      case ClientFrame.AddMembers add -> roomReply(add.id(), rooms().addMembers(user(), add.room(), add.users()));
      case ClientFrame.RemoveMember remove -> roomReply(remove.id(), rooms().removeMember(user(), remove.room(), remove.user()));
      case ClientFrame.Join join -> roomReply(join.id(), rooms().join(user(), join.room()));
      case ClientFrame.RenameRoom rename -> roomReply(rename.id(), rooms().rename(user(), rename.room(), rename.name()));
      case ClientFrame.Room room -> roomReply(room.id(), rooms().room(user(), room.room()));
      case ClientFrame.Leave leave ->
          reply(leave.id(), rooms().leave(user(), leave.room()).thenApply(room -> new ServerFrame.Left(leave.id(), room)));
      case ClientFrame.Rooms list ->
          reply(list.id(), rooms().roomsOf(user()).thenApply(found -> new ServerFrame.Rooms(list.id(), WireForms.rooms(found))));
      case ClientFrame.RoomDirectory directory -> {
        requireAuthenticated();
        reply(directory.id(), rooms().directory()
            .thenApply(found -> new ServerFrame.RoomDirectory(directory.id(), WireForms.directory(found))));
      }
      case ClientFrame.Read read ->
          reply(read.id(), services.chat().read(authenticatedSession(), read.id(), read.room(), read.with(), read.seq()));
      case ClientFrame.Conversations list -> reply(list.id(), services.chat().conversations(user())
          .thenApply(found -> new ServerFrame.Conversations(list.id(), WireForms.conversations(found))));
      case ClientFrame.Search search -> {
        int limit = Replies.pageSize(search.limit(), SEARCH_PAGES);
        reply(search.id(), services.chat().search().search(user(), search.q(), search.room(), search.with(), search.before(), limit)
            .thenApply(found -> new ServerFrame.Search(search.id(), search.q(), WireForms.messages(found))));
      }
      case ClientFrame.Edit edit -> reply(edit.id(),
          services.chat().revisions().edit(user(), session.id(), edit.id(), edit.seq(), edit.text()).thenApply(ClientConnection::ack));
      case ClientFrame.Delete delete -> reply(delete.id(),
          services.chat().revisions().delete(user(), session.id(), delete.id(), delete.seq()).thenApply(ClientConnection::ack));
      case ClientFrame.Notify notify -> reply(notify.id(),
          services.chat().notifyLevels().set(user(), session.id(), notify.id(), notify.room(), notify.with(), notify.level()));
      case ClientFrame.Typing typing -> {
        unanswered.incrementAndGet();
        services.chat().typing(authenticatedSession(), typing.room(), typing.to()).whenComplete((done, error) -> {
          if (error != null) {
            session.send(ServerFrame.Error.of(Replies.toParleyException(error), typing.id()));
          }
          answered();
        });
      }
    }
  }

  private static ServerFrame.Ack ack(Accepted accepted) {
    return new ServerFrame.Ack(accepted.id(), accepted.seq(), accepted.ts());
  }

  private RoomService rooms() {
    return services.chat().rooms();
  }

  /** The user of this connection, which must be authenticated. */
  private User user() {
    requireAuthenticated();
    return session.authenticated().user();
  }

  private Session authenticatedSession() {
    requireAuthenticated();
    return session;
  }

  private void roomReply(String requestId, CompletableFuture<ServerFrame.RoomInfo> room) {
    reply(requestId, room.thenApply(info -> new ServerFrame.Room(requestId, info)));
  }

  /** The connection counts as authenticated before the welcome leaves, so a client may act on it at once. */
  private void welcome(Authenticated user, String token, String requestId, Long since) {
    synchronized (authenticationLock) {
      session.authenticate(user);
      if (state.compareAndSet(State.AUTHENTICATING, State.AUTHENTICATED)) {
        services.chat().attach(session, new ServerFrame.Welcome(requestId, user.user().username(), token), since);
      }
      runHeldFrames();
    }
  }

  private void beginAuthentication() {
    synchronized (authenticationLock) {
      if (!state.compareAndSet(State.ANONYMOUS, State.AUTHENTICATING)) {
        throw new ParleyException(ErrorCode.BAD_REQUEST, "this connection is already authenticated or authenticating");
      }
      holdFrames();
    }
  }

  /** Frames from now on wait until {@link #runHeldFrames}. */
  private void holdFrames() {
    synchronized (authenticationLock) {
      if (state.get() != State.CLOSED) {
        heldFrames = new ArrayList<>();
      }
    }
  }

  private void failAuthentication(String requestId, Throwable error) {
    synchronized (authenticationLock) {
      state.compareAndSet(State.AUTHENTICATING, State.ANONYMOUS);
      session.send(ServerFrame.Error.of(Replies.toParleyException(error), requestId));
      runHeldFrames();
    }
  }

  /**
   * Under the lock, so frames arriving meanwhile queue up behind these and keep their order. A
   * held frame that starts another login or register holds the rest again, ahead of newer ones.
   */
  private void runHeldFrames() {
    List<Runnable> held = heldFrames;
    heldFrames = null;
    if (held == null) {
      return;
    }
    for (int i = 0; i < held.size(); i++) {
      held.get(i).run();
      if (heldFrames != null) {
        heldFrames.addAll(0, held.subList(i + 1, held.size()));
        return;
      }
    }
  }

  private void requireAuthenticated() {
    if (state.get() != State.AUTHENTICATED) {
      throw new ParleyException(ErrorCode.UNAUTHORIZED, "log in or authenticate first");
    }
  }

  private void reply(String requestId, CompletableFuture<? extends ServerFrame> response) {
    unanswered.incrementAndGet();
    response.whenComplete(
        (frame, error) -> {
          session.send(error == null ? frame : ServerFrame.Error.of(Replies.toParleyException(error), requestId));
          answered();
        });
  }
}
