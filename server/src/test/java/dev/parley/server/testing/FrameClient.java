package dev.parley.server.testing;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.MalformedFrameException;
import dev.parley.protocol.ServerFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A raw frame client for tests, over TCP lines or WebSocket: it sends whatever text it is given
 * (valid or not) and queues every frame the server sends, so tests can assert on exact frames.
 */
public abstract class FrameClient implements AutoCloseable {
  public static final Duration TIMEOUT = Duration.ofSeconds(10);
  protected static final FrameCodec CODEC = new FrameCodec();

  private final BlockingQueue<ServerFrame> received = new LinkedBlockingQueue<>();
  private final CountDownLatch closed = new CountDownLatch(1);

  /** Sends one frame's text as is (a line over TCP, a text message over WebSocket). */
  public abstract void sendText(String text);

  public abstract String transport();

  /** Drops the connection at once, as a crashing client or a lost network would. */
  @Override
  public abstract void close();

  public void send(ClientFrame frame) {
    sendText(CODEC.encodeToString(frame));
  }

  /** The next frame the server sent; fails if none arrives in time. */
  public ServerFrame next() {
    try {
      ServerFrame frame = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (frame == null) {
        throw new AssertionError(transport() + ": no frame within " + TIMEOUT);
      }
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next frame, or null if none arrives within {@code wait}: for a client that also sends while it reads. */
  public ServerFrame poll(Duration wait) {
    try {
      return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next frame, which must be of this type. */
  public <T extends ServerFrame> T next(Class<T> type) {
    ServerFrame frame = next();
    if (!type.isInstance(frame)) {
      throw new AssertionError(transport() + ": expected " + type.getSimpleName() + " but got " + frame);
    }
    return type.cast(frame);
  }

  /** Skips frames until one matches; fails if none does in time. */
  public <T extends ServerFrame> T nextMatching(Class<T> type, Predicate<T> condition) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      ServerFrame frame = next();
      if (type.isInstance(frame) && condition.test(type.cast(frame))) {
        return type.cast(frame);
      }
    }
    throw new AssertionError(transport() + ": no matching " + type.getSimpleName());
  }

  /** Frames already received, without waiting. */
  public List<ServerFrame> drain() {
    List<ServerFrame> frames = new ArrayList<>();
    received.drainTo(frames);
    return frames;
  }

  public boolean hasPending() {
    return !received.isEmpty();
  }

  /** Waits for the server to close the connection. */
  public void awaitClosed() {
    try {
      if (!closed.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(transport() + ": connection still open after " + TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public boolean isClosed() {
    return closed.getCount() == 0;
  }

  protected void onText(String text) {
    try {
      received.add(CODEC.decodeServer(text));
    } catch (MalformedFrameException e) {
      throw new AssertionError("server sent a malformed frame: " + text, e);
    }
  }

  protected void onClosed() {
    closed.countDown();
  }

  // Convenience for the common conversation steps.

  public ServerFrame.Welcome login(String username, String password) {
    send(new ClientFrame.Login("login", username, password, null));
    return next(ServerFrame.Welcome.class);
  }

  public ServerFrame.Welcome auth(String token, Long since) {
    send(new ClientFrame.Auth("auth", token, since));
    return next(ServerFrame.Welcome.class);
  }

  public ServerFrame.Ack sendMessage(String id, String to, String text) {
    send(new ClientFrame.Send(id, to, text));
    return nextMatching(ServerFrame.Ack.class, ack -> ack.id().equals(id));
  }

  /** Sends to a room and returns the message's seq once acknowledged. */
  public long sendRoomMessage(String id, String room, String text) {
    send(ClientFrame.Send.toRoom(id, room, text));
    return nextMatching(ServerFrame.Ack.class, ack -> ack.id().equals(id)).seq();
  }
}
