package dev.parley.bench.load;

import dev.parley.protocol.MalformedFrameException;
import dev.parley.protocol.ServerFrame;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Opens authenticated connections for {@code bench connections}, holds them with pings, and keeps
 * them open until {@link #close}. Few threads hold many connections: Netty event loops, one per
 * core, and one thread that paces connects and pings. One worker runs per generator process.
 */
public final class ConnectionWorker implements AutoCloseable {
  /** Handshakes in flight at once: enough to be quick, few enough not to overflow the server's accept backlog. */
  private static final int CONCURRENT_CONNECTS = 256;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  /** How long the last pings of the hold may take to be answered. */
  private static final Duration PONG_GRACE = Duration.ofSeconds(10);
  private static final String PING = ParleyLineCodec.ping("p");

  /**
   * What to run.
   *
   * @param webSocket the server's WebSocket URL for {@code transport} {@code ws}; else null
   * @param sources local addresses, used in turn; each has its own range of ephemeral ports
   * @param pingInterval each connection sends a ping this often while held
   */
  public record Config(
      String transport,
      InetSocketAddress tcp,
      URI webSocket,
      List<BenchUser> users,
      List<InetAddress> sources,
      Duration hold,
      Duration pingInterval) {
    public Config {
      if (!transport.equals("tcp") && !transport.equals("ws")) {
        throw new IllegalArgumentException("transport is tcp or ws, not " + transport);
      }
      if (transport.equals("ws") && webSocket == null) {
        throw new IllegalArgumentException("the ws transport needs the server's HTTP address");
      }
      if (sources.isEmpty()) {
        throw new IllegalArgumentException("at least one source address");
      }
      users = List.copyOf(users);
      sources = List.copyOf(sources);
    }
  }

  private final Config config;
  private final EventLoopGroup loops;
  private final Bootstrap bootstrap;
  private final List<Channel> authenticated = new ArrayList<>();
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
  private final LongAdder pongs = new LongAdder();
  private final LongAdder closedByServer = new LongAdder();
  private final AtomicLong lastWelcomeMillis = new AtomicLong();
  private volatile boolean closing;

  public ConnectionWorker(Config config) {
    this.config = config;
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), io);
    this.bootstrap =
        new Bootstrap()
            .group(loops)
            .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis());
  }

  /** Connects every user, holds the connections for the hold time, and reports; they stay open until {@link #close}. */
  public WorkerResult run() throws InterruptedException {
    long start = System.currentTimeMillis();
    connectAll();
    long connected;
    synchronized (authenticated) {
      connected = authenticated.size();
    }
    long pings = hold();
    long deadline = System.nanoTime() + PONG_GRACE.toNanos();
    while (pongs.sum() < pings && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Map<String, Long> failed = new TreeMap<>();
    failures.forEach((reason, count) -> failed.put(reason, count.sum()));
    return new WorkerResult(
        config.users().size(),
        connected,
        failed,
        start,
        connected == 0 ? start : lastWelcomeMillis.get(),
        pings,
        pongs.sum(),
        closedByServer.sum());
  }

  private void connectAll() throws InterruptedException {
    Semaphore slots = new Semaphore(CONCURRENT_CONNECTS);
    CountDownLatch settled = new CountDownLatch(config.users().size());
    List<InetAddress> sources = config.sources();
    for (int i = 0; i < config.users().size(); i++) {
      slots.acquire();
      Connection connection = new Connection(config.users().get(i).token(), () -> {
        slots.release();
        settled.countDown();
      });
      bootstrap
          .clone()
          .handler(connection.initializer())
          .connect(remote(), new InetSocketAddress(sources.get(i % sources.size()), 0))
          .addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
              connection.fail(reason(f.cause()));
            }
          });
    }
    settled.await();
  }

  private InetSocketAddress remote() {
    return config.transport().equals("tcp")
        ? config.tcp()
        : new InetSocketAddress(config.webSocket().getHost(), config.webSocket().getPort());
  }

  /** Pings every connection once per ping interval, spread evenly over it, until the hold ends; returns the pings sent. */
  private long hold() throws InterruptedException {
    List<Channel> channels;
    synchronized (authenticated) {
      channels = List.copyOf(authenticated);
    }
    long start = System.nanoTime();
    long end = start + config.hold().toNanos();
    long interval = Math.max(1, Math.min(config.pingInterval().toNanos(), config.hold().toNanos()));
    long sent = 0;
    while (!channels.isEmpty()) {
      long now = System.nanoTime();
      if (now >= end) {
        break;
      }
      // Pings due by now: connection j's k-th ping is due at start + k * interval + j * interval / n.
      long due = (long) ((double) (now - start) / interval * channels.size()) + 1;
      for (; sent < due; sent++) {
        Channel channel = channels.get((int) (sent % channels.size()));
        channel.writeAndFlush(ping(), channel.voidPromise());
      }
      Thread.sleep(10);
    }
    // The last of the first round fall due in the hold's final moment: every connection is pinged at least once.
    for (; sent < channels.size(); sent++) {
      channels.get((int) sent).writeAndFlush(ping(), channels.get((int) sent).voidPromise());
    }
    return sent;
  }

  private Object ping() {
    return config.transport().equals("tcp")
        ? Unpooled.copiedBuffer(PING + "\n", StandardCharsets.UTF_8)
        : new TextWebSocketFrame(PING);
  }

  private static String reason(Throwable cause) {
    return switch (cause) {
      case ConnectTimeoutException e -> "connect: timeout";
      case ConnectException e -> "connect: " + e.getMessage().replaceFirst(":.*", "");
      case WebSocketClientHandshakeException e -> "upgrade: " + e.getMessage();
      default -> cause.getClass().getSimpleName() + ": " + cause.getMessage();
    };
  }

  @Override
  public void close() {
    closing = true;
    loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** One connection: counts itself as authenticated or failed exactly once. */
  private final class Connection extends ChannelInboundHandlerAdapter {
    private final String token;
    private final Runnable onSettled;
    private boolean settled;
    private boolean welcomed;

    Connection(String token, Runnable onSettled) {
      this.token = token;
      this.onSettled = onSettled;
    }

    ChannelInitializer<SocketChannel> initializer() {
      return new ChannelInitializer<>() {
        @Override
        protected void initChannel(SocketChannel channel) {
          if (config.transport().equals("tcp")) {
            channel.pipeline().addLast(new LineBasedFrameDecoder(1 << 20), Connection.this);
          } else {
            URI uri = URI.create(config.webSocket() + "?since=" + ParleyLineCodec.NO_REPLAY);
            WebSocketClientProtocolConfig ws =
                WebSocketClientProtocolConfig.newBuilder()
                    .webSocketUri(uri)
                    .customHeaders(new DefaultHttpHeaders().set("Authorization", "Bearer " + token))
                    .handshakeTimeoutMillis(CONNECT_TIMEOUT.toMillis())
                    .build();
            channel.pipeline()
                .addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16), new WebSocketClientProtocolHandler(ws), Connection.this);
          }
        }
      };
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      if (config.transport().equals("tcp")) {
        ctx.writeAndFlush(Unpooled.copiedBuffer(ParleyLineCodec.auth(token) + "\n", StandardCharsets.UTF_8));
      }
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
      try {
        String text = switch (message) {
          case ByteBuf line -> line.toString(StandardCharsets.UTF_8);
          case TextWebSocketFrame frame -> frame.text();
          default -> null;
        };
        if (text != null) {
          onFrame(ctx, text);
        }
      } finally {
        ReferenceCountUtil.release(message);
      }
    }

    private void onFrame(ChannelHandlerContext ctx, String text) {
      ServerFrame frame;
      try {
        frame = ParleyLineCodec.decode(text);
      } catch (MalformedFrameException e) {
        if (!settled) {
          fail("malformed_frame");
          ctx.close();
        }
        return;
      }
      switch (frame) {
        case ServerFrame.Pong pong -> pongs.increment();
        case ServerFrame.Welcome welcome when !settled -> {
          welcomed = true;
          synchronized (authenticated) {
            authenticated.add(ctx.channel());
          }
          lastWelcomeMillis.accumulateAndGet(System.currentTimeMillis(), Math::max);
          settle();
        }
        case ServerFrame.Error error when !settled -> {
          fail(error.code().wireName());
          ctx.close();
        }
        default -> {}
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (!settled) {
        fail("closed before welcome");
      } else if (welcomed && !closing) {
        closedByServer.increment();
      }
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (!settled) {
        fail(reason(cause));
      }
      ctx.close();
    }

    void fail(String reason) {
      if (!settled) {
        failures.computeIfAbsent(reason, r -> new LongAdder()).increment();
        settle();
      }
    }

    private void settle() {
      settled = true;
      onSettled.run();
    }
  }
}
