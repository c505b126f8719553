package dev.parley.client;

import java.io.EOFException;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A request body of {@code length} bytes of a file from {@code position}, with a Content-Length.
 * The bytes are handed to the HTTP client as slices of the file mapped into memory: on a plain
 * connection they go from the page cache to the socket with no copy on the heap and no buffer
 * allocated per piece, which is what an upload's client spent most of its time on when the body
 * was read into a fresh array per piece. The channel is not closed here: its owner closes it once
 * the request is over; the mappings go with their buffers.
 */
final class FileRegionBody {
  /** The progress callback threw: the body ends with this, the request fails, the socket is dropped. */
  static final class Stopped extends IOException {
    Stopped(RuntimeException cause) {
      super("stopped by the progress listener", cause);
    }
  }

  /** Bytes mapped at a time, so that a chunk of any size maps in pieces a buffer can address. */
  private static final long WINDOW = 32L << 20;
  /** Bytes per buffer handed to the HTTP client: one socket write each. */
  private static final int SLICE = 256 << 10;

  private FileRegionBody() {}

  /** {@code sent} hears the bytes handed to the HTTP client so far, on the client's thread. */
  static HttpRequest.BodyPublisher of(FileChannel channel, long position, long length, LongConsumer sent) {
    return HttpRequest.BodyPublishers.fromPublisher(
        subscriber -> subscriber.onSubscribe(new Region(subscriber, channel, position, length, sent)), length);
  }

  /** The subscription: slices as they are asked for, one drain at a time whatever thread asks. */
  private static final class Region implements Flow.Subscription {
    private final Flow.Subscriber<? super ByteBuffer> subscriber;
    private final FileChannel channel;
    private final long start;
    private final long end;
    private final LongConsumer sent;
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger draining = new AtomicInteger();
    private volatile boolean done;
    /** A bad request(n), signalled by the drain so that no two signals overlap. */
    private volatile IllegalArgumentException badRequest;
    // Touched only inside the drain, which the counter above makes one at a time.
    private long position;
    private MappedByteBuffer window;
    private long windowStart;

    Region(Flow.Subscriber<? super ByteBuffer> subscriber, FileChannel channel, long position, long length,
        LongConsumer sent) {
      this.subscriber = subscriber;
      this.channel = channel;
      this.start = position;
      this.position = position;
      this.end = position + length;
      this.sent = sent;
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        badRequest = new IllegalArgumentException("a subscriber must ask for at least one buffer, not " + n);
      } else {
        demand.accumulateAndGet(n, (had, more) -> had + more < 0 ? Long.MAX_VALUE : had + more);
      }
      drain();
    }

    @Override
    public void cancel() {
      done = true;
    }

    private void drain() {
      if (draining.getAndIncrement() != 0) {
        return;
      }
      do {
        if (badRequest != null) {
          fail(badRequest);
        }
        while (!done && position < end && demand.get() > 0) {
          demand.decrementAndGet();
          emit();
        }
        if (!done && position >= end) {
          done = true;
          subscriber.onComplete();
        }
      } while (draining.decrementAndGet() != 0);
    }

    private void emit() {
      ByteBuffer slice;
      try {
        slice = next();
      } catch (IOException e) {
        fail(e);
        return;
      }
      subscriber.onNext(slice);
      try {
        sent.accept(position - start);
      } catch (RuntimeException e) {
        fail(new Stopped(e));
      }
    }

    private ByteBuffer next() throws IOException {
      if (window == null || position >= windowStart + window.capacity()) {
        long length = Math.min(WINDOW, end - position);
        if (channel.size() < position + length) {
          throw new EOFException("the file ended at " + channel.size() + " bytes, before " + end + "; did it change?");
        }
        window = channel.map(FileChannel.MapMode.READ_ONLY, position, length);
        windowStart = position;
      }
      int at = (int) (position - windowStart);
      int take = Math.min(SLICE, window.capacity() - at);
      position += take;
      return window.slice(at, take);
    }

    private void fail(Throwable failure) {
      if (!done) {
        done = true;
        subscriber.onError(failure);
      }
    }
  }
}
