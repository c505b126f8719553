package dev.parley.server.transport;

import dev.parley.protocol.ByeReason;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.session.Outbound;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded, coalescing outbound queue of one channel. Any thread may send; the channel's
 * event loop drains the queue into the channel while it is writable and flushes once per drain,
 * not once per frame. When the peer stops reading, the socket buffer fills, the channel turns
 * unwritable and frames pile up here; past the limit the connection is closed as a slow consumer
 * instead of buffering without bound. A burst (one group commit's acks) on a channel that is
 * still draining is not slowness, so the limit only counts while the channel is unwritable.
 */
final class ChannelOutbound implements Outbound {
  /** How frames become channel messages for one transport, and how that transport says goodbye. */
  interface Encoder {
    Object encode(ServerFrame frame, ByteBufAllocator allocator);

    /** Ends the connection after what was written so far. */
    void close(Channel channel);
  }

  private record Item(ServerFrame frame, Runnable onWritten, boolean last) {}

  /** How long a closing connection may take to flush its last frames before it is cut. */
  private static final long CLOSE_GRACE_SECONDS = 30;

  private final Channel channel;
  private final Encoder encoder;
  private final String transport;
  private final String clientAddress;
  private final int maxQueuedFrames;
  private final Queue<Item> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();

  ChannelOutbound(Channel channel, Encoder encoder, String transport, String clientAddress, int maxQueuedFrames) {
    this.channel = channel;
    this.encoder = encoder;
    this.transport = transport;
    this.clientAddress = clientAddress;
    this.maxQueuedFrames = maxQueuedFrames;
  }

  @Override
  public void send(ServerFrame frame, Runnable onWritten) {
    if (closing.get()) {
      return;
    }
    if (queued.incrementAndGet() > maxQueuedFrames && !channel.isWritable()) {
      queued.decrementAndGet();
      dropQueuedAndClose(new ServerFrame.Bye(null, ByeReason.SLOW_CONSUMER));
      return;
    }
    queue.add(new Item(frame, onWritten, false));
    scheduleDrain();
  }

  @Override
  public void close(ServerFrame last) {
    if (closing.compareAndSet(false, true)) {
      queued.incrementAndGet();
      queue.add(new Item(last, null, true));
      scheduleDrain();
    }
  }

  /** For a peer that does not read: what it has not taken is dropped, only the bye is still offered. */
  private void dropQueuedAndClose(ServerFrame last) {
    if (closing.compareAndSet(false, true)) {
      channel.eventLoop().execute(() -> {
        queued.addAndGet(-queue.size());
        queue.clear();
        queued.incrementAndGet();
        queue.add(new Item(last, null, true));
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

  private void scheduleDrain() {
    if (drainScheduled.compareAndSet(false, true)) {
      channel.eventLoop().execute(this::drain);
    }
  }

  private void drain() {
    drainScheduled.set(false);
    boolean wrote = false;
    Item item;
    while ((channel.isWritable() || closing.get()) && (item = queue.poll()) != null) {
      queued.decrementAndGet();
      if (!channel.isActive()) {
        continue;
      }
      ChannelFuture written = channel.write(encoder.encode(item.frame(), channel.alloc()));
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
        queue.clear();
        return;
      }
    }
    if (wrote) {
      channel.flush();
    }
  }
}
