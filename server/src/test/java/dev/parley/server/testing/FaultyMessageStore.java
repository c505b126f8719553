package dev.parley.server.testing;

import dev.parley.server.store.AppendResult;
import dev.parley.server.store.Delivery;
import dev.parley.server.store.LogEntry;
import dev.parley.server.store.MessageStore;
import dev.parley.server.store.NewMessage;
import dev.parley.server.store.ReadMark;
import dev.parley.server.store.StoredMessage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The real message store with one fault a test can arm: the next append throws a given error
 * (before touching the store), or appends wait for a latch (a commit that hangs). Everything
 * else goes straight to the real store.
 */
public final class FaultyMessageStore implements MessageStore {
  private final MessageStore store;
  private final AtomicReference<Error> nextError = new AtomicReference<>();
  private final AtomicReference<CountDownLatch> hold = new AtomicReference<>();
  private final AtomicReference<CountDownLatch> holdCommitted = new AtomicReference<>();
  private final AtomicInteger holding = new AtomicInteger();

  public FaultyMessageStore(MessageStore store) {
    this.store = store;
  }

  /** The next append throws {@code error} and stores nothing. */
  public void failNextAppend(Error error) {
    nextError.set(error);
  }

  /** Appends wait until {@code release} is counted down. */
  public void holdAppendsUntil(CountDownLatch release) {
    hold.set(release);
  }

  /** Appends commit, then wait until {@code release} is counted down before the writer hears of it. */
  public void holdCommittedAppendsUntil(CountDownLatch release) {
    holdCommitted.set(release);
  }

  /** Whether an append is waiting for the latch now, holding its batch (and the writer). */
  public boolean isHolding() {
    return holding.get() > 0;
  }

  @Override
  public List<AppendResult> appendAll(List<NewMessage> messages, List<Delivery> deliveries, List<ReadMark> reads) {
    Error error = nextError.getAndSet(null);
    if (error != null) {
      throw error;
    }
    await(hold.get());
    List<AppendResult> committed = store.appendAll(messages, deliveries, reads);
    await(holdCommitted.get());
    return committed;
  }

  private void await(CountDownLatch release) {
    if (release != null) {
      holding.incrementAndGet();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        holding.decrementAndGet();
      }
    }
  }

  @Override
  public List<StoredMessage> directHistory(long userId, long otherUserId, long beforeSeq, int limit) {
    return store.directHistory(userId, otherUserId, beforeSeq, limit);
  }

  @Override
  public List<StoredMessage> roomHistory(long conversationId, long beforeSeq, int limit) {
    return store.roomHistory(conversationId, beforeSeq, limit);
  }

  @Override
  public List<StoredMessage> since(long userId, long afterSeq, int limit) {
    return store.since(userId, afterSeq, limit);
  }

  @Override
  public List<StoredMessage> undelivered(long userId, long afterSeq, int limit) {
    return store.undelivered(userId, afterSeq, limit);
  }

  @Override
  public List<StoredMessage> search(long userId, long conversationId, String text, long beforeSeq, int limit) {
    return store.search(userId, conversationId, text, beforeSeq, limit);
  }

  @Override
  public Optional<StoredMessage> message(long seq) {
    return store.message(seq);
  }

  @Override
  public List<LogEntry> entries(long afterSeq, long upToSeq, int limit) {
    return store.entries(afterSeq, upToSeq, limit);
  }

  @Override
  public long newestSeq() {
    return store.newestSeq();
  }

  @Override
  public Optional<AppendResult> accepted(long senderId, String clientId) {
    return store.accepted(senderId, clientId);
  }
}
