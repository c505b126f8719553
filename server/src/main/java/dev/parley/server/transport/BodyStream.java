package dev.parley.server.transport;

import dev.parley.server.files.PatchWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A request body on its way to disk. Pieces arrive on the event loop and queue up; one drain at a
 * time writes them, in order, through a {@link PatchWriter} on the file executor. Reading from the
 * socket pauses while more than {@link #HIGH_WATER} bytes wait, so memory stays flat whatever the
 * body's size. Pieces may arrive before the writer is ready (while the request is authenticated);
 * they wait for {@link #start}. Thread-safe.
 */
final class BodyStream {
  private static final long HIGH_WATER = 8L << 20;
  private static final long LOW_WATER = 2L << 20;
  private static final int MAX_BUFFERS_PER_WRITE = 256;

  private final ChannelHandlerContext ctx;
  private final Executor io;
  private final Consumer<Long> onFinished;
  private final Consumer<Throwable> onFailed;
  private final Queue<ByteBuf> chunks = new ConcurrentLinkedQueue<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean finishing = new AtomicBoolean();
  /** The connection went away and the writer was given up: nothing is left to do. */
  private final AtomicBoolean abandoned = new AtomicBoolean();
  private volatile boolean ended;
  private volatile boolean connectionLost;
  /** A reply went out (an error): what still arrives is dropped. */
  private volatile boolean stopped;
  private volatile PatchWriter writer;

  /**
   * @param onFinished the new offset, once the whole body is written and finished
   * @param onFailed a failure while writing or finishing; the writer has been aborted
   */
  BodyStream(ChannelHandlerContext ctx, Executor io, Consumer<Long> onFinished, Consumer<Throwable> onFailed) {
    this.ctx = ctx;
    this.io = io;
    this.onFinished = onFinished;
    this.onFailed = onFailed;
  }

  /** On the event loop: a piece of the body; this stream now owns {@code bytes}. */
  void add(ByteBuf bytes, boolean last) {
    if (stopped) {
      bytes.release();
      return;
    }
    if (bytes.isReadable()) {
      chunks.add(bytes);
      if (queuedBytes.addAndGet(bytes.readableBytes()) > HIGH_WATER) {
        ctx.channel().config().setAutoRead(false);
      }
    } else {
      bytes.release();
    }
    if (last) {
      ended = true;
    }
    if (writer != null) {
      scheduleDrain();
    }
  }

  /** The writer is ready: read on, and write what has arrived. */
  void start(PatchWriter patch) {
    writer = patch;
    resumeReading();
    scheduleDrain();
  }

  /** The client went away mid-body: what arrived is written, then the writer is given up (keeping it). */
  void connectionLost() {
    connectionLost = true;
    if (writer != null) {
      scheduleDrain();
    } else {
      releaseChunks();
    }
  }

  /** A reply has gone out; drop what is queued or still arrives. */
  void stop() {
    stopped = true;
    if (writer == null) {
      releaseChunks();
    }
  }

  void resumeReading() {
    ctx.executor().execute(() -> ctx.channel().config().setAutoRead(true));
  }

  private void scheduleDrain() {
    if (draining.compareAndSet(false, true)) {
      io.execute(this::drain);
    }
  }

  /** On the file executor, one at a time: writes what has arrived, then finishes or gives up. */
  private void drain() {
    try {
      while (!chunks.isEmpty() && !stopped) {
        writeQueued();
      }
      if (stopped) {
        releaseChunks();
      } else if (ended && chunks.isEmpty()) {
        if (finishing.compareAndSet(false, true)) {
          writer.finish().whenComplete((offset, error) -> {
            if (error != null) {
              onFailed.accept(error);
            } else {
              onFinished.accept(offset);
            }
          });
        }
      } else if (connectionLost && abandoned.compareAndSet(false, true)) {
        writer.abort();
        releaseChunks();
      }
    } catch (IOException | RuntimeException e) {
      writer.abort();
      releaseChunks();
      onFailed.accept(e);
    } finally {
      draining.set(false);
    }
    // Pieces, the end of the body or the loss of the connection may have come after the checks above.
    boolean moreToDo = !chunks.isEmpty() || (ended && !finishing.get()) || (connectionLost && !abandoned.get());
    if (moreToDo && !stopped && !finishing.get() && !abandoned.get()) {
      scheduleDrain();
    }
  }

  private void writeQueued() throws IOException {
    List<ByteBuf> batch = new ArrayList<>();
    List<ByteBuffer> buffers = new ArrayList<>();
    ByteBuf chunk;
    while (batch.size() < MAX_BUFFERS_PER_WRITE && (chunk = chunks.poll()) != null) {
      batch.add(chunk);
      buffers.addAll(List.of(chunk.nioBuffers()));
    }
    long bytes = 0;
    try {
      for (ByteBuf b : batch) {
        bytes += b.readableBytes();
      }
      writer.write(buffers.toArray(ByteBuffer[]::new));
    } finally {
      batch.forEach(ByteBuf::release);
      if (queuedBytes.addAndGet(-bytes) < LOW_WATER) {
        resumeReading();
      }
    }
  }

  private void releaseChunks() {
    ByteBuf chunk;
    while ((chunk = chunks.poll()) != null) {
      queuedBytes.addAndGet(-chunk.readableBytes());
      chunk.release();
    }
  }
}
