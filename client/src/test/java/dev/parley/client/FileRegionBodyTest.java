package dev.parley.client;

import static dev.parley.client.TransferFixture.randomBytes;
import static dev.parley.client.TransferFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A chunk's body as the HTTP client takes it: mapped slices of the file, asked for one at a time. */
class FileRegionBodyTest {
  private static final int MIB = 1 << 20;

  @TempDir Path temp;

  @Test
  void theBodyIsExactlyTheRegionAndProgressHearsEveryBufferHandedOver() throws IOException {
    byte[] bytes = randomBytes(3 * MIB + 5, 8);
    try (FileChannel channel = FileChannel.open(write(temp.resolve("f.bin"), bytes))) {
      List<Long> progress = new CopyOnWriteArrayList<>();
      HttpRequest.BodyPublisher body = FileRegionBody.of(channel, 100, 2 * MIB + 7, progress::add);
      Collector collector = new Collector();

      body.subscribe(collector);

      assertThat(body.contentLength()).isEqualTo(2 * MIB + 7);
      assertThat(collector.failure.get()).isNull();
      assertThat(collector.completed).isTrue();
      assertThat(collector.bytes.toByteArray()).isEqualTo(Arrays.copyOfRange(bytes, 100, 100 + 2 * MIB + 7));
      assertThat(progress).isSorted().hasSizeGreaterThan(1).last().isEqualTo(2L * MIB + 7);
    }
  }

  @Test
  void aFileShorterThanTheRegionEndsTheBodyWithAnErrorInsteadOfShortBytes() throws IOException {
    byte[] bytes = randomBytes(MIB, 9);
    try (FileChannel channel = FileChannel.open(write(temp.resolve("f.bin"), bytes))) {
      Collector collector = new Collector();

      FileRegionBody.of(channel, 0, 2 * MIB, sent -> {}).subscribe(collector);

      assertThat(collector.completed).isFalse();
      assertThat(collector.failure.get()).isInstanceOf(EOFException.class).hasMessageContaining("did it change?");
    }
  }

  @Test
  void aProgressListenerThatThrowsEndsTheBodyPartWay() throws IOException {
    byte[] bytes = randomBytes(2 * MIB, 10);
    try (FileChannel channel = FileChannel.open(write(temp.resolve("f.bin"), bytes))) {
      RuntimeException stop = new IllegalStateException("stop");
      Collector collector = new Collector();

      FileRegionBody.of(channel, 0, bytes.length, sent -> {
        if (sent > MIB / 2) {
          throw stop;
        }
      }).subscribe(collector);

      assertThat(collector.completed).isFalse();
      assertThat(collector.failure.get()).isInstanceOf(FileRegionBody.Stopped.class).hasCause(stop);
      assertThat(collector.bytes.size()).isLessThan(bytes.length);
    }
  }

  @Test
  void askingForNoBuffersIsAnError() throws IOException {
    try (FileChannel channel = FileChannel.open(write(temp.resolve("f.bin"), randomBytes(MIB, 11)))) {
      AtomicReference<Throwable> failure = new AtomicReference<>();
      FileRegionBody.of(channel, 0, MIB, sent -> {}).subscribe(new Flow.Subscriber<>() {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
          subscription.request(0);
        }

        @Override
        public void onNext(ByteBuffer item) {
          throw new AssertionError("nothing was asked for");
        }

        @Override
        public void onError(Throwable throwable) {
          failure.set(throwable);
        }

        @Override
        public void onComplete() {
          throw new AssertionError("nothing was asked for");
        }
      });

      assertThat(failure.get()).isInstanceOf(IllegalArgumentException.class);
    }
  }

  /** Asks for one buffer at a time, from inside onNext, as the JDK's HTTP/1.1 writer does. */
  private static final class Collector implements Flow.Subscriber<ByteBuffer> {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    volatile boolean completed;
    private Flow.Subscription subscription;

    @Override
    public void onSubscribe(Flow.Subscription given) {
      subscription = given;
      subscription.request(1);
    }

    @Override
    public void onNext(ByteBuffer item) {
      byte[] copy = new byte[item.remaining()];
      item.get(copy);
      bytes.writeBytes(copy);
      subscription.request(1);
    }

    @Override
    public void onError(Throwable throwable) {
      failure.set(throwable);
    }

    @Override
    public void onComplete() {
      completed = true;
    }
  }
}
