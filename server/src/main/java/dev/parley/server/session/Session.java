package dev.parley.server.session;

import dev.parley.protocol.ByeReason;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.account.Authenticated;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One live connection as the services see it: who it is, and an ordered feed of messages.
 *
 * <p>The feed guarantees that a connection sees each message once and in seq order, even while
 * the replay of stored messages races with live delivery: live messages that arrive during the
 * replay are held, and afterwards only those newer than the last one sent go out. Thread-safe.
 *
 * <p>It takes frames, not domain records: a session is where the services hand their output to a
 * connection, and a live message or a presence change fans out to many sessions as one frame.
 */
public final class Session {
  private static final AtomicLong IDS = new AtomicLong();

  private record Held(SharedFrame<ServerFrame.Message> message, Runnable onWritten) {}

  private final long id = IDS.incrementAndGet();
  private final Outbound outbound;
  private final int maxHeldMessages;
  private volatile Authenticated authenticated;
  private volatile boolean reportsDeliveries = true;

  private final Object feedLock = new Object();
  private boolean replaying = true;
  private List<Held> held = new ArrayList<>();
  private long lastSeq;

  public Session(Outbound outbound, int maxHeldMessages) {
    this.outbound = outbound;
    this.maxHeldMessages = maxHeldMessages;
  }

  public long id() {
    return id;
  }

  /** Null until the connection has logged in or authenticated. */
  public Authenticated authenticated() {
    return authenticated;
  }

  public void authenticate(Authenticated user) {
    this.authenticated = user;
  }

  /** Whether what is written to this session counts as delivered to its user (moves their delivery cursor). */
  public boolean reportsDeliveries() {
    return reportsDeliveries;
  }

  public void reportDeliveries(boolean reports) {
    this.reportsDeliveries = reports;
  }

  public String remoteAddress() {
    return outbound.remoteAddress();
  }

  public String transport() {
    return outbound.transport();
  }

  public void send(ServerFrame frame) {
    synchronized (feedLock) {
      outbound.send(frame, null);
    }
  }

  /**
   * Registers the session and sends its welcome as one step for every other sender: a frame
   * pushed to the newly registered session waits until the welcome is queued, and the client
   * cannot see its welcome before it is registered (online, watched, receiving live messages).
   * Registering tells the user's watchers under this lock; that cannot wait on this session in
   * turn, because a session watches nobody before its welcome.
   */
  public void open(ServerFrame.Welcome welcome, Runnable register) {
    synchronized (feedLock) {
      register.run();
      outbound.send(welcome, null);
    }
  }

  public void close(ServerFrame.Bye bye) {
    outbound.close(bye);
  }

  /** A frame that goes to other sessions too, as the same bytes. */
  public void send(SharedFrame<?> frame) {
    synchronized (feedLock) {
      outbound.send(frame, null);
    }
  }

  /** A message committed just now, shared by every session it goes to; held while the replay runs. */
  public void deliverLive(SharedFrame<ServerFrame.Message> message, Runnable onWritten) {
    synchronized (feedLock) {
      if (replaying) {
        held.add(new Held(message, onWritten));
        if (held.size() > maxHeldMessages) {
          outbound.close(new ServerFrame.Bye(null, ByeReason.SLOW_CONSUMER));
        }
        return;
      }
      sendInOrder(message, onWritten);
    }
  }

  /** A stored message replayed on welcome, in seq order; false if it was skipped as already sent. */
  public boolean replay(ServerFrame.Message message, Runnable onWritten) {
    synchronized (feedLock) {
      return sendInOrder(new SharedFrame<>(message), onWritten);
    }
  }

  /**
   * From now on no message at or below {@code seq} goes out, live ones included: the client holds
   * them already. Called before the replay ends, it also covers what arrived live meanwhile.
   */
  public void skipThrough(long seq) {
    synchronized (feedLock) {
      lastSeq = Math.max(lastSeq, seq);
    }
  }

  /** The replay is over: what arrived live meanwhile goes out, and from now on live goes straight through. */
  public void endReplay() {
    synchronized (feedLock) {
      replaying = false;
      held.forEach(h -> sendInOrder(h.message(), h.onWritten()));
      held = List.of();
    }
  }

  private boolean sendInOrder(SharedFrame<ServerFrame.Message> message, Runnable onWritten) {
    long seq = message.frame().seq();
    if (seq <= lastSeq) {
      return false;
    }
    lastSeq = seq;
    outbound.send(message, onWritten);
    return true;
  }

  @Override
  public String toString() {
    Authenticated user = authenticated;
    return "session " + id + " (" + transport() + " " + remoteAddress()
        + (user == null ? "" : ", " + user.user().username()) + ")";
  }
}
