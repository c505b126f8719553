package dev.parley.server.transport;

import dev.parley.protocol.FrameCodec;
import dev.parley.server.api.AccessGate;
import dev.parley.server.api.CrossSiteRules;
import dev.parley.server.api.RestApi;
import dev.parley.server.api.Services;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.metrics.SecurityLog;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three listening sockets and their pipelines. The TCP pipeline reads as the protocol stack:
 * idle timeout, line framing capped at the frame limit, frame handler. The HTTP pipeline: idle
 * timeout, HTTP codec, the router of streamed bodies (uploads), body aggregation capped at the
 * frame limit, every other route (REST, downloads, web client, WebSocket upgrade). Both HTTP
 * stages route by one table, {@link HttpRoutes}. The admin listener: idle timeout, HTTP codec, body
 * aggregation, its own small table ({@code /metrics}, {@code /healthz}).
 */
public final class NettyTransport implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NettyTransport.class);
  /** The HTTP pipeline's stage that takes streamed requests; gone once a connection is a WebSocket. */
  static final String STREAMED_ROUTER = "streamed-router";
  /** Past this many unflushed bytes a channel stops taking frames; they wait in its bounded queue. */
  /**
   * Largest piece of a streamed body handed on at once (Netty's default is 8 KiB): an upload
   * then moves through the file executor in a few large writes, not one per 8 KiB.
   */
  private static final int BODY_CHUNK_BYTES = 1 << 20;

  private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);

  private final TransportContext context;
  private final EventLoopGroup acceptors;
  private final EventLoopGroup workers;
  private final Channel httpChannel;
  private final Channel tcpChannel;
  private final Channel adminChannel;

  private NettyTransport(
      TransportContext context, EventLoopGroup acceptors, EventLoopGroup workers, Channel http, Channel tcp, Channel admin) {
    this.context = context;
    this.acceptors = acceptors;
    this.workers = workers;
    this.httpChannel = http;
    this.tcpChannel = tcp;
    this.adminChannel = admin;
  }

  /** Idle for a frame connection: nothing received from the client for the idle timeout. */
  static IdleStateHandler frameIdleHandler(ServerConfig config) {
    return new IdleStateHandler(config.connections().idleTimeout().toSeconds(), 0, 0, TimeUnit.SECONDS);
  }

  /**
   * @param files where file bytes are written and files opened, off the event loops
   * @param securityLog told of each connection refused at {@code max-connections}
   */
  public static NettyTransport start(
      ServerConfig config, Services services, FrameCodec codec, Executor files, SecurityLog securityLog)
      throws InterruptedException {
    TransportContext context = new TransportContext(config, codec, services, new RestApi(services, codec.mapper()));
    HttpRoutes routes = new HttpRoutes(
        HttpRoutes.table(
            context.rest(),
            (ctx, request, method, params) -> new UploadExchange(ctx, context, files, request, method, params.get("id")),
            new FileDownloads(context, files),
            new WebClientRoutes(WebAssets.load()),
            new WebSocketUpgrade(context),
            config.admin().metricsToken() != null),
        new AccessGate(services.accounts(), services.downloads(), new CrossSiteRules(config.site()), config.admin().metricsToken()));
    HttpRoutes adminRoutes = new HttpRoutes(
        HttpRoutes.adminTable(context.rest()),
        new AccessGate(services.accounts(), services.downloads(), CrossSiteRules.NONE, null));
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory ioHandlers = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> serverChannel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    EventLoopGroup acceptors = new MultiThreadIoEventLoopGroup(1, ioHandlers);
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(ioHandlers);
    ConnectionLimit limit = new ConnectionLimit(config.listen().maxConnections());
    services.metrics().connectionLimit(limit.max(), limit::open);
    try {
      long idleSeconds = config.connections().idleTimeout().toSeconds();
      Channel http = bootstrap(acceptors, workers, serverChannel, new ChannelInitializer<SocketChannel>() {
        @Override
        protected void initChannel(SocketChannel channel) {
          if (!limit.tryOpen(channel)) {
            services.metrics().connectionRefused();
            securityLog.connectionRefused(context.clientAddresses().of(channel.remoteAddress()), "http");
            ServerFullReplies.refuseHttp(channel, context, limit.max());
            return;
          }
          // HTTP is idle when nothing moves either way: a long download is not idle.
          channel.pipeline()
              .addLast("idle", new IdleStateHandler(true, 0, 0, idleSeconds, TimeUnit.SECONDS))
              .addLast("http-codec", new HttpServerCodec(new HttpDecoderConfig().setMaxChunkSize(BODY_CHUNK_BYTES)))
              .addLast("pipeline-depth", new PipelineDepthGuard())
              .addLast(STREAMED_ROUTER, new StreamedRouter(context, routes))
              .addLast("http-aggregator", new JsonHttpObjectAggregator(config.connections().maxFrameBytes(), context.rest()))
              .addLast("http-handler", new HttpRequestHandler(context, routes));
        }
      }).bind(config.listen().host(), config.listen().httpPort()).sync().channel();
      Channel tcp = bootstrap(acceptors, workers, serverChannel, new ChannelInitializer<SocketChannel>() {
        @Override
        protected void initChannel(SocketChannel channel) {
          if (!limit.tryOpen(channel)) {
            services.metrics().connectionRefused();
            securityLog.connectionRefused(context.clientAddresses().of(channel.remoteAddress()), LineEncoder.TRANSPORT);
            ServerFullReplies.refuseLine(channel, context, limit.max());
            return;
          }
          channel.pipeline()
              .addLast("idle", frameIdleHandler(config))
              .addLast("line-framing", new LineBasedFrameDecoder(config.connections().maxFrameBytes(), true, true))
              .addLast("frame-handler", new FrameHandler(
                  context, LineEncoder.TRANSPORT, new LineEncoder(codec), context.clientAddresses().of(channel.remoteAddress())));
        }
      })
          // A client that shuts down its sending side still gets the replies to what it sent.
          .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
          .bind(config.listen().host(), config.listen().tcpPort()).sync().channel();
      // Monitoring: not counted against max-connections, so that a full server can still be scraped.
      Channel admin = bootstrap(acceptors, workers, serverChannel, new ChannelInitializer<SocketChannel>() {
        @Override
        protected void initChannel(SocketChannel channel) {
          channel.pipeline()
              .addLast("idle", new IdleStateHandler(true, 0, 0, idleSeconds, TimeUnit.SECONDS))
              .addLast("http-codec", new HttpServerCodec())
              .addLast("http-aggregator", new JsonHttpObjectAggregator(config.connections().maxFrameBytes(), context.rest()))
              .addLast("http-handler", new HttpRequestHandler(context, adminRoutes));
        }
      }).bind(config.admin().host(), config.admin().port()).sync().channel();
      // Behind Netty's acceptor, which is in place once bound.
      http.pipeline().addLast("accept-failures", limit.acceptFailures());
      tcp.pipeline().addLast("accept-failures", limit.acceptFailures());
      log.info("transport: {}, max-connections {}", epoll ? "epoll" : "nio", limit.max());
      return new NettyTransport(context, acceptors, workers, http, tcp, admin);
    } catch (InterruptedException | RuntimeException e) {
      acceptors.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
  }

  private static ServerBootstrap bootstrap(
      EventLoopGroup acceptors,
      EventLoopGroup workers,
      Class<? extends ServerChannel> serverChannel,
      ChannelInitializer<SocketChannel> initializer) {
    return new ServerBootstrap()
        .group(acceptors, workers)
        .channel(serverChannel)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .childHandler(initializer);
  }

  public InetSocketAddress httpAddress() {
    return (InetSocketAddress) httpChannel.localAddress();
  }

  public InetSocketAddress tcpAddress() {
    return (InetSocketAddress) tcpChannel.localAddress();
  }

  public InetSocketAddress adminAddress() {
    return (InetSocketAddress) adminChannel.localAddress();
  }

  /** Stops accepting; existing connections keep working until {@link #close}. */
  public void stopAccepting() {
    httpChannel.close().syncUninterruptibly();
    tcpChannel.close().syncUninterruptibly();
    adminChannel.close().syncUninterruptibly();
  }

  /** Says {@code bye shutdown} to every connection, waits for them to close, and stops the event loops. */
  @Override
  public void close() {
    stopAccepting();
    context.sayGoodbyeToAll();
    context.frameChannels().newCloseFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
