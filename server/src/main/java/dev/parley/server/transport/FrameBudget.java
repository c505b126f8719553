package dev.parley.server.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * A token bucket of frames for one TCP or WebSocket connection: {@code frame-burst} frames at
 * once, refilled at {@code frames-per-second}. Every inbound frame takes a token, pings and
 * WebSocket control frames included. With the bucket empty the connection is not read (its
 * {@link ReadGate} is throttled) until a token is back, and the frames already framed from the
 * last read wait here, in order; nothing is refused, so an honest client's burst is only slowed,
 * while a flood gets no more of the event loop than its budget. After {@link #YIELD_FRAMES}
 * frames in one go the connection also lets the event loop serve the others before going on.
 * Event loop only.
 */
final class FrameBudget extends ChannelInboundHandlerAdapter {
  static final String NAME = "frame-budget";
  /** Frames handled in one go before the connection yields its event loop. */
  static final int YIELD_FRAMES = 64;

  private final double tokensPerNano;
  private final double burst;
  private final Queue<Object> waiting = new ArrayDeque<>();
  private double tokens;
  private long refilledAt;
  private int sinceYield;
  private boolean paused;
  private Object inputEnded;

  FrameBudget(int framesPerSecond, int burst) {
    this.tokensPerNano = framesPerSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.refilledAt = System.nanoTime();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object frame) {
    if (paused || !waiting.isEmpty()) {
      waiting.add(frame);
    } else {
      pass(ctx, frame);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    sinceYield = 0;
    ctx.fireChannelReadComplete();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    // Input ending is told after the frames read before it, so that they are still answered.
    if (event instanceof ChannelInputShutdownEvent && !waiting.isEmpty()) {
      inputEnded = event;
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    waiting.forEach(ReferenceCountUtil::release);
    waiting.clear();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    handlerRemoved(ctx);
    ctx.fireChannelInactive();
  }

  private void pass(ChannelHandlerContext ctx, Object frame) {
    long now = System.nanoTime();
    tokens = Math.min(burst, tokens + (now - refilledAt) * tokensPerNano);
    refilledAt = now;
    tokens -= 1;
    sinceYield++;
    ctx.fireChannelRead(frame);
    if (tokens < 1) {
      pause(ctx, (long) Math.ceil((1 - tokens) / tokensPerNano));
    } else if (sinceYield >= YIELD_FRAMES) {
      pause(ctx, 0);
    }
  }

  private void pause(ChannelHandlerContext ctx, long nanos) {
    paused = true;
    ReadGate.of(ctx.channel()).throttle(ctx.channel());
    if (nanos == 0) {
      ctx.executor().execute(() -> resume(ctx));
    } else {
      ctx.executor().schedule(() -> resume(ctx), nanos, TimeUnit.NANOSECONDS);
    }
  }

  private void resume(ChannelHandlerContext ctx) {
    paused = false;
    sinceYield = 0;
    if (!ctx.channel().isActive()) {
      return;
    }
    while (!paused && !waiting.isEmpty()) {
      pass(ctx, waiting.poll());
    }
    if (paused) {
      return;
    }
    if (inputEnded != null) {
      ctx.fireUserEventTriggered(inputEnded);
      inputEnded = null;
    }
    ReadGate.of(ctx.channel()).unthrottle(ctx.channel());
  }
}
