package dev.parley.server.transport;

import dev.parley.protocol.ByeReason;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.config.ConnectionLimits;
import dev.parley.server.session.Outbound;
import dev.parley.server.session.OutboundBatch;
import dev.parley.server.session.SharedFrame;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.ReferenceCountUtil;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded, coalescing outbound queue of one channel. Any thread may send; a frame is encoded
 * when it is sent, so that the queue knows its size in bytes, and the channel's event loop drains
 * the queue into the channel while it is writable and flushes once per drain, not once per frame
 * (and a batch of sends from one thread, {@link OutboundBatch}, is one drain).
 * When the peer stops reading, the socket buffer fills, the channel turns unwritable, the server
 * stops reading from it ({@link ReadGate}) and frames pile up here; past either limit, in frames
 * or in bytes, the connection is closed as a slow consumer instead of buffering without bound. A
 * burst (one group commit's acks) on a channel that is still draining is not slowness, so the
 * limits only count while the channel is unwritable; and a frame on an empty queue is always
 * taken, however large, so that no reply is too large to send.
 */
final class ChannelOutbound implements Outbound {
  /** How frames become channel messages for one transport, and how that transport says goodbye. */
  interface Encoder {
    Object encode(ServerFrame frame, ByteBufAllocator allocator);

    /** The channel message over the shared bytes of a frame: no copy of them, no encoding of its own. */
    Object wrap(SharedFrame<?> frame);

    /** Ends the connection after what was written so far. */
    void close(Channel channel);
  }

  /** A frame encoded into its channel message, which the queue owns until it is written or dropped. */
  private record Item(Object message, int bytes, Runnable onWritten, boolean last) {}

  /** How long a closing connection may take to flush its last frames before it is cut. */
  private static final long CLOSE_GRACE_SECONDS = 30;

  private final Channel channel;
  private final Encoder encoder;
  private final String transport;
  private final String clientAddress;
  private final int maxQueuedFrames;
  private final long maxQueuedBytes;
  private final Queue<Item> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  /** The last frame went out or the channel closed: whatever is still queued (a send that raced it) is dropped. */
  private volatile boolean finished;

  ChannelOutbound(Channel channel, Encoder encoder, String transport, String clientAddress, ConnectionLimits limits) {
    this.channel = channel;
    this.encoder = encoder;
    this.transport = transport;
    this.clientAddress = clientAddress;
    this.maxQueuedFrames = limits.outboundQueueFrames();
    this.maxQueuedBytes = limits.maxOutboundBytes();
    // What is still queued when the channel closes (a peer that reset) is never written: release it.
    channel.closeFuture().addListener(closed -> {
      closing.set(true);
      finished = true;
      dropQueued();
    });
  }

  @Override
  public void send(ServerFrame frame, Runnable onWritten) {
    if (!closing.get()) {
      offer(encode(frame, onWritten, false));
    }
  }

  @Override
  public void send(SharedFrame<?> frame, Runnable onWritten) {
    if (!closing.get()) {
      offer(item(encoder.wrap(frame), onWritten, false));
    }
  }

  private void offer(Item item) {
    int frames = queued.incrementAndGet();
    long bytes = queuedBytes.addAndGet(item.bytes());
    boolean overBytes = bytes > maxQueuedBytes && bytes != item.bytes();
    if ((frames > maxQueuedFrames || overBytes) && !channel.isWritable()) {
      discard(item);
      dropQueuedAndClose(new ServerFrame.Bye(null, ByeReason.SLOW_CONSUMER));
      return;
    }
    queue.add(item);
    scheduleDrain();
  }

  @Override
  public void close(ServerFrame last) {
    if (closing.compareAndSet(false, true)) {
      enqueue(encode(last, null, true));
      scheduleDrain();
    }
  }

  private Item encode(ServerFrame frame, Runnable onWritten, boolean last) {
    return item(encoder.encode(frame, channel.alloc()), onWritten, last);
  }

  private Item item(Object message, Runnable onWritten, boolean last) {
    return new Item(message, channel.config().getMessageSizeEstimator().newHandle().size(message), onWritten, last);
  }

  private void enqueue(Item item) {
    queued.incrementAndGet();
    queuedBytes.addAndGet(item.bytes());
    queue.add(item);
  }

  /** An item left the queue for the channel. */
  private void countOut(Item item) {
    queued.decrementAndGet();
    queuedBytes.addAndGet(-item.bytes());
  }

  /** An item that will not be written: counted out, and its message released. */
  private void discard(Item item) {
    countOut(item);
    ReferenceCountUtil.release(item.message());
  }

  private void dropQueued() {
    Item item;
    while ((item = queue.poll()) != null) {
      discard(item);
    }
  }

  /** For a peer that does not read: what it has not taken is dropped, only the bye is still offered. */
  private void dropQueuedAndClose(ServerFrame last) {
    if (closing.compareAndSet(false, true)) {
      channel.eventLoop().execute(() -> {
        dropQueued();
        enqueue(encode(last, null, true));
        drain();
      });
    }
  }

  @Override
  public String remoteAddress() {
    return clientAddress;
  }

  @Override
  public String transport() {
    return transport;
  }

  /** Called on the event loop when the channel became writable again. */
  void resume() {
    scheduleDrain();
  }

  /** Inside an {@link OutboundBatch}, the drain waits for the batch's end and shares its event loop's task. */
  private void scheduleDrain() {
    if (drainScheduled.compareAndSet(false, true) && !OutboundBatch.defer(channel.eventLoop(), this::drain)) {
      channel.eventLoop().execute(this::drain);
    }
  }

  private void drain() {
    drainScheduled.set(false);
    if (finished) {
      dropQueued();
      return;
    }
    boolean wrote = false;
    Item item;
    while ((channel.isWritable() || closing.get()) && (item = queue.poll()) != null) {
      if (!channel.isActive()) {
        discard(item);
        continue;
      }
      countOut(item);
      ChannelFuture written = channel.write(item.message());
      wrote = true;
      if (item.onWritten() != null) {
        Runnable onWritten = item.onWritten();
        written.addListener((ChannelFutureListener) f -> {
          if (f.isSuccess()) {
            onWritten.run();
          }
        });
      }
      if (item.last()) {
        channel.flush();
        encoder.close(channel);
        channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
        finished = true;
        dropQueued();
        return;
      }
    }
    if (wrote) {
      channel.flush();
    }
  }
}
