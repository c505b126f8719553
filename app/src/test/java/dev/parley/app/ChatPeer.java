package dev.parley.app;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * One user of a load test who sends direct messages to a partner with up to {@code window} sends
 * unacknowledged, and records what it acked and what it received, over every connection it has
 * had. A connection runs on a thread of its own until the server closes it or {@link #disconnect}
 * does; {@link #reconnect} opens the next one with {@code since} = the last seq it received, and
 * sends again, with the same ids, every message whose ack never came.
 *
 * <p>Thread-safety: the connection's thread writes the records; the test reads them (concurrent
 * collections), and calls the other methods from one thread.
 */
final class ChatPeer {
  private static final Duration POLL = Duration.ofMillis(50);

  private final String name;
  private final String token;
  private final int window;
  private final Map<String, Long> ackedSeqById = new ConcurrentHashMap<>();
  private final Set<String> unacked = ConcurrentHashMap.newKeySet();
  private final List<Long> receivedFromPartner = new CopyOnWriteArrayList<>();
  private volatile String partner;
  private volatile long lastSeq;
  private volatile boolean sending = true;
  private volatile FrameClient connection;
  private volatile Thread thread;
  private volatile boolean leaving;
  private int next;

  ChatPeer(String name, String token, int window) {
    this.name = name;
    this.token = token;
    this.window = window;
  }

  String name() {
    return name;
  }

  String partner() {
    return partner;
  }

  /** Authenticates on {@code opened} (no {@code since}: a first connection) and starts sending to {@code partnerName}. */
  void start(FrameClient opened, String partnerName) {
    partner = partnerName;
    opened.auth(token, null);
    run(opened);
  }

  /**
   * Waits for the current connection's thread to end, then opens the next connection with
   * {@code open}, authenticates with {@code since} = the last seq received, and carries on.
   */
  void reconnect(Supplier<FrameClient> open) throws InterruptedException {
    thread.join();
    FrameClient opened = open.get();
    opened.auth(token, lastSeq);
    run(opened);
  }

  /** Closes the connection from this side and waits for its thread. */
  void disconnect() throws InterruptedException {
    leaving = true;
    connection.close();
    thread.join();
    leaving = false;
  }

  /** No new messages from now on; unacknowledged ones are still sent again on the next connection. */
  void stopSending() {
    sending = false;
  }

  boolean connected() {
    return thread != null && thread.isAlive();
  }

  /** Seq by id of every message of its own that the server acknowledged. */
  Map<String, Long> acked() {
    return Map.copyOf(ackedSeqById);
  }

  Set<String> unacked() {
    return Set.copyOf(unacked);
  }

  /** The seqs of the partner's messages it received, in order of arrival, repeats included. */
  List<Long> receivedFromPartner() {
    return List.copyOf(receivedFromPartner);
  }

  static String text(String id) {
    return "消息 " + id + " — 失效切换";
  }

  private void run(FrameClient opened) {
    connection = opened;
    thread = Thread.ofPlatform().daemon().name("peer-" + name).start(() -> converse(opened));
  }

  private void converse(FrameClient client) {
    try {
      for (String id : new LinkedHashSet<>(unacked)) {
        client.send(new ClientFrame.Send(id, partner, text(id)));
      }
      converseUntilClosed(client);
    } catch (UncheckedIOException | CompletionException e) {
      // The connection broke while sending: what was not acked goes again on the next one.
    }
  }

  private void converseUntilClosed(FrameClient client) {
    while (!leaving && (!client.isClosed() || client.hasPending())) {
      while (sending && unacked.size() < window && !client.isClosed()) {
        String id = name + "-" + next++;
        unacked.add(id);
        client.send(new ClientFrame.Send(id, partner, text(id)));
      }
      ServerFrame frame = client.poll(POLL);
      switch (frame) {
        case ServerFrame.Ack ack -> {
          ackedSeqById.putIfAbsent(ack.id(), ack.seq());
          unacked.remove(ack.id());
        }
        case ServerFrame.Message message when partner.equals(message.from()) -> {
          receivedFromPartner.add(message.seq());
          lastSeq = Math.max(lastSeq, message.seq());
        }
        case ServerFrame.Error error when error.id() != null && unacked.contains(error.id()) ->
            // Refused, so not stored: the documented retry is the same id again.
            client.send(new ClientFrame.Send(error.id(), partner, text(error.id())));
        case null, default -> {}
      }
    }
  }
}
