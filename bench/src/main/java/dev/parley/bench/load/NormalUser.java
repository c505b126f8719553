package dev.parley.bench.load;

import dev.parley.client.LoggedIn;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyConnection;
import dev.parley.protocol.ServerFrame;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * The well-behaved user whose experience the attacks must not spoil, from 127.0.0.1: it logs in
 * over HTTP with its password (a real Argon2 check), and sends a message over its WebSocket to a
 * second normal user, timing it until that user's WebSocket has it; again and again. A step that
 * takes longer than {@link #STEP_TIMEOUT} counts as failed.
 */
final class NormalUser implements AutoCloseable {
  static final Duration STEP_TIMEOUT = Duration.ofSeconds(5);
  /** The pause between two rounds: a person, not a load generator. */
  private static final Duration PAUSE = Duration.ofMillis(100);
  private static final int MAX_ROUNDS = 10_000;

  private final ParleyClient client;
  private final String sender;
  private final String password;
  private final ParleyConnection sending;
  private final ParleyConnection receiving;
  private final Map<String, CompletableFuture<Void>> awaited = new ConcurrentHashMap<>();
  private long round;

  NormalUser(URI http, String sender, String receiver, String password) {
    this.client = new ParleyClient(http, STEP_TIMEOUT, STEP_TIMEOUT);
    this.sender = sender;
    this.password = password;
    this.sending = ParleyConnection.connect(http, client.login(sender, password).token(), Long.MAX_VALUE, frame -> {});
    this.receiving = ParleyConnection.connect(http, client.login(receiver, password).token(), Long.MAX_VALUE, this::onFrame);
  }

  /** Rounds of login and message until {@code deadlineNanos}; what they took. */
  NormalUserResult measure(long deadlineNanos) throws InterruptedException {
    Histogram logins = new Histogram(3);
    Histogram messages = new Histogram(3);
    long failures = 0;
    for (int i = 0; i < MAX_ROUNDS && System.nanoTime() < deadlineNanos; i++) {
      failures += login(logins) ? 0 : 1;
      failures += message(messages) ? 0 : 1;
      Thread.sleep(PAUSE);
    }
    return new NormalUserResult(NormalUserResult.Latency.of(logins), NormalUserResult.Latency.of(messages), failures);
  }

  /**
   * Rounds until one whose login and message both succeed in less than {@code limitMillis};
   * returns the seconds that took, or NaN when none did within {@code max}.
   */
  double recover(double limitMillis, Duration max) throws InterruptedException {
    long start = System.nanoTime();
    for (int i = 0; i < MAX_ROUNDS && System.nanoTime() - start < max.toNanos(); i++) {
      Histogram login = new Histogram(3);
      Histogram message = new Histogram(3);
      if (login(login) && message(message) && Math.max(login.getMaxValue(), message.getMaxValue()) < limitMillis * 1000) {
        return (System.nanoTime() - start) / 1e9;
      }
      Thread.sleep(PAUSE);
    }
    return Double.NaN;
  }

  private boolean login(Histogram latencyMicros) {
    long start = System.nanoTime();
    boolean ok;
    try {
      LoggedIn login = client.login(sender, password);
      ok = login.token() != null;
    } catch (RuntimeException e) {
      ok = false;
    }
    record(latencyMicros, start);
    return ok;
  }

  private boolean message(Histogram latencyMicros) throws InterruptedException {
    String text = "normal " + round++ + " " + System.nanoTime();
    CompletableFuture<Void> arrived = new CompletableFuture<>();
    awaited.put(text, arrived);
    long start = System.nanoTime();
    boolean ok;
    try {
      sending.sendMessage(receiving.username(), text);
      arrived.get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      ok = true;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      ok = false;
    } finally {
      awaited.remove(text);
    }
    record(latencyMicros, start);
    return ok;
  }

  /** Failed steps count too: a refusal is as much the user's experience as a slow answer. */
  private static void record(Histogram latencyMicros, long start) {
    latencyMicros.recordValue((System.nanoTime() - start) / 1000);
  }

  private void onFrame(ServerFrame frame) {
    if (frame instanceof ServerFrame.Message message && message.text() != null) {
      CompletableFuture<Void> arrived = awaited.get(message.text());
      if (arrived != null) {
        arrived.complete(null);
      }
    }
  }

  @Override
  public void close() {
    sending.close();
    receiving.close();
    client.close();
  }
}
