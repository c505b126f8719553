package dev.parley.bench.load;

import dev.parley.protocol.ServerFrame;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one attack sent and what its clients saw come back: frames by kind ({@code pong}), errors
 * by code ({@code rate_limited}), {@code bye <reason>}, {@code http <status>}, and what happened
 * to connections ({@code closed by server}, {@code connect refused}, {@code open at end}).
 * Thread-safe: an attack's clients count into it from their own threads.
 */
final class AttackTally {
  private final ConcurrentHashMap<String, LongAdder> answers = new ConcurrentHashMap<>();
  private final AtomicLong requestsSent = new AtomicLong();
  private final AtomicLong bytesSent = new AtomicLong();

  void sent(long requests, long bytes) {
    requestsSent.addAndGet(requests);
    bytesSent.addAndGet(bytes);
  }

  void count(String answer) {
    answers.computeIfAbsent(answer, a -> new LongAdder()).increment();
  }

  void count(ServerFrame frame) {
    count(kind(frame));
  }

  long requestsSent() {
    return requestsSent.get();
  }

  long bytesSent() {
    return bytesSent.get();
  }

  long answers(String answer) {
    LongAdder adder = answers.get(answer);
    return adder == null ? 0 : adder.sum();
  }

  /** The counts, sorted by name. */
  Map<String, Long> answers() {
    Map<String, Long> sorted = new TreeMap<>();
    answers.forEach((answer, adder) -> sorted.put(answer, adder.sum()));
    return sorted;
  }

  /** An error by its code, a bye by its reason, any other frame by its type. */
  static String kind(ServerFrame frame) {
    return switch (frame) {
      case ServerFrame.Error error -> error.code().wireName();
      case ServerFrame.Bye bye -> "bye " + bye.reason();
      default -> frame.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    };
  }
}
