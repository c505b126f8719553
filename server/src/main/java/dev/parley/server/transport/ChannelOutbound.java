package dev.parley.server.transport;

import dev.parley.protocol.ByeReason;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.session.Outbound;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded, coalescing outbound queue of one channel. Any thread may send; the channel's
 * event loop drains the queue into the channel while it is writable and flushes once per drain,
 * not once per frame. When the peer stops reading, frames pile up here, and past the limit the
 * connection is closed as a slow consumer instead of buffering without bound.
 */
final class ChannelOutbound implements Outbound {
  /** How frames become channel messages for one transport, and how that transport says goodbye. */
  interface Encoder {
    Object encode(ServerFrame frame, ByteBufAllocator allocator);

    /** Ends the connection after what was written so far. */
    void close(Channel channel);
  }

  private record Item(ServerFrame frame, Runnable onWritten, boolean last) {}

  private final Channel channel;
  private final Encoder encoder;
  private final String transport;
  private final int maxQueuedFrames;
  private final Queue<Item> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();

  ChannelOutbound(Channel channel, Encoder encoder, String transport, int maxQueuedFrames) {
    this.channel = channel;
    this.encoder = encoder;
    this.transport = transport;
    this.maxQueuedFrames = maxQueuedFrames;
  }

  @Override
  public void send(ServerFrame frame, Runnable onWritten) {
    if (closing.get()) {
      return;
    }
    if (queued.incrementAndGet() > maxQueuedFrames) {
      queued.decrementAndGet();
      close(new ServerFrame.Bye(null, ByeReason.SLOW_CONSUMER));
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

  @Override
  public String remoteAddress() {
    SocketAddress address = channel.remoteAddress();
    return address instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : String.valueOf(address);
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
        queue.clear();
        return;
      }
    }
    if (wrote) {
      channel.flush();
    }
  }
}
