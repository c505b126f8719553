package dev.parley.server.transport;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ParleyException;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.api.AccessGate;
import dev.parley.server.api.CrossSiteRules;
import dev.parley.server.api.RestApi;
import dev.parley.server.api.RestResponse;
import dev.parley.server.api.Services;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.metrics.SecurityLog;
import dev.parley.server.tls.ServerTls;
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
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three listening sockets and their pipelines. Each starts with the read gate, which stops
 * reading from a connection while its output is backed up. The TCP pipeline then reads as the
 * protocol stack: idle timeout, line framing capped at the frame limit, frame budget, frame handler. The HTTP
 * pipeline: idle timeout, request head deadline, HTTP codec, the router of streamed bodies
 * (uploads), body aggregation capped at the frame limit, one request at a time, every other route
 * (REST, downloads, web client, WebSocket upgrade). Both HTTP stages route by one table,
 * {@link HttpRoutes}. The admin listener: idle timeout, request head deadline, HTTP codec, body
 * aggregation, one request at a time, its own small table ({@code /metrics}, {@code /healthz}).
 */
public final class NettyTransport implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NettyTransport.class);
  /** The HTTP pipeline's stage that takes streamed requests; gone once a connection is a WebSocket. */
  static final String STREAMED_ROUTER = "streamed-router";
  /** On a TLS port's HTTP pipeline only: turns a file download into TLS-sized writes. */
  static final String CHUNKED_WRITES = "chunked-writes";
  /**
   * Largest piece of a streamed body handed on at once (Netty's default is 8 KiB): an upload
   * then moves through the file executor in a few large writes, not one per 8 KiB.
   */
  private static final int BODY_CHUNK_BYTES = 1 << 20;

  /**
   * Past this many unwritten bytes a channel turns unwritable: frames wait in its bounded queue
   * and the server stops reading from it ({@link ReadGate}) until it is back under the low mark.
   */
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

  /** A new connection's budget of inbound frames, TCP lines and WebSocket messages alike. */
  static FrameBudget frameBudget(ServerConfig config) {
    return new FrameBudget(config.connections().framesPerSecond(), config.connections().frameBurst());
  }

  /**
   * @param files where file bytes are written and files opened, off the event loops
   * @param securityLog told of each connection refused at {@code max-connections} or {@code max-connections-per-address}
   * @param tls the certificate the HTTP and TCP ports speak TLS with, or null for plain text
   */
  public static NettyTransport start(
      ServerConfig config, Services services, FrameCodec codec, Executor files, SecurityLog securityLog, ServerTls tls)
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
    AddressLimit perAddress = new AddressLimit(config.listen().maxConnectionsPerAddress(), context.clientAddresses());
    Admission admission = new Admission(perAddress, limit, services, securityLog, context.clientAddresses());
    services.metrics().connectionLimit(limit.max(), limit::open);
    PlaintextAnswers plaintext = new PlaintextAnswers(context);
    try {
      long idleSeconds = config.connections().idleTimeout().toSeconds();
      Channel http = bootstrap(acceptors, workers, serverChannel, new ChannelInitializer<SocketChannel>() {
        @Override
        protected void initChannel(SocketChannel channel) {
          ParleyException refusal = admission.admit(channel, "http");
          if (tls != null) {
            channel.pipeline().addLast(TlsOrRefusal.NAME, new TlsOrRefusal(tls.httpContext(), plaintext.http()));
          }
          if (refusal != null) {
            ServerFullReplies.refuseHttp(channel, context, refusal);
            return;
          }
          RequestHeadTimeout headTimeout = new RequestHeadTimeout(config.connections().headerTimeout());
          // HTTP is idle when nothing moves either way: a long download is not idle.
          channel.pipeline()
              .addLast(ReadGate.NAME, new ReadGate())
              .addLast("idle", new IdleStateHandler(true, 0, 0, idleSeconds, TimeUnit.SECONDS))
              .addLast(RequestHeadTimeout.BYTES, headTimeout.bytes())
              .addLast("http-codec", new HttpServerCodec(new HttpDecoderConfig().setMaxChunkSize(BODY_CHUNK_BYTES)))
              .addLast(RequestHeadTimeout.HEADS, headTimeout.heads())
              .addLast("pipeline-depth", new PipelineDepthGuard())
              .addLast(STREAMED_ROUTER, new StreamedRouter(context, routes))
              .addLast("http-aggregator", new JsonHttpObjectAggregator(config.connections().maxFrameBytes(), context.rest()))
              // The codec hands on every request of a read at once; this passes one on per read
              // while the read gate is closed, so that the next waits for the answer to this one.
              .addLast("one-request-at-a-time", new FlowControlHandler())
              .addLast("http-handler", new HttpRequestHandler(context, routes));
          if (tls != null) {
            // Files go out in chunks through the TLS engine, where plain text sends them zero-copy.
            channel.pipeline()
                .addAfter("http-codec", StrictTransportSecurity.NAME, StrictTransportSecurity.INSTANCE)
                .addAfter(StrictTransportSecurity.NAME, CHUNKED_WRITES, new ChunkedWriteHandler());
          }
        }
      }).bind(config.listen().host(), config.listen().httpPort()).sync().channel();
      Channel tcp = bootstrap(acceptors, workers, serverChannel, new ChannelInitializer<SocketChannel>() {
        @Override
        protected void initChannel(SocketChannel channel) {
          ParleyException refusal = admission.admit(channel, LineEncoder.TRANSPORT);
          if (refusal != null) {
            if (tls != null) {
              // The refusal is written at once; the TLS engine holds it until the handshake is done.
              channel.pipeline().addLast(TlsOrRefusal.NAME, tls.tcpContext().newHandler(channel.alloc()));
            }
            ServerFullReplies.refuseLine(channel, context, refusal);
            return;
          }
          if (tls != null) {
            channel.pipeline().addLast(TlsOrRefusal.NAME, new TlsOrRefusal(tls.tcpContext(), plaintext.line()));
          }
          channel.pipeline()
              .addLast(ReadGate.NAME, new ReadGate())
              .addLast("idle", frameIdleHandler(config))
              .addLast("line-framing", new LineBasedFrameDecoder(config.connections().maxFrameBytes(), true, true))
              .addLast(FrameBudget.NAME, frameBudget(config))
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
          RequestHeadTimeout headTimeout = new RequestHeadTimeout(config.connections().headerTimeout());
          // The handler holds the read gate while it answers, as on the HTTP port.
          channel.pipeline()
              .addLast(ReadGate.NAME, new ReadGate())
              .addLast("idle", new IdleStateHandler(true, 0, 0, idleSeconds, TimeUnit.SECONDS))
              .addLast(RequestHeadTimeout.BYTES, headTimeout.bytes())
              .addLast("http-codec", new HttpServerCodec())
              .addLast(RequestHeadTimeout.HEADS, headTimeout.heads())
              .addLast("http-aggregator", new JsonHttpObjectAggregator(config.connections().maxFrameBytes(), context.rest()))
              .addLast("one-request-at-a-time", new FlowControlHandler())
              .addLast("http-handler", new HttpRequestHandler(context, adminRoutes));
        }
      }).bind(config.admin().host(), config.admin().port()).sync().channel();
      // Behind Netty's acceptor, which is in place once bound.
      http.pipeline().addLast("accept-failures", limit.acceptFailures());
      tcp.pipeline().addLast("accept-failures", limit.acceptFailures());
      log.info("transport: {}, {}, max-connections {}, max-connections-per-address {}",
          epoll ? "epoll" : "nio", tls == null ? "plain text" : "TLS by " + tls.providerName(), limit.max(), perAddress.max());
      return new NettyTransport(context, acceptors, workers, http, tcp, admin);
    } catch (InterruptedException | RuntimeException e) {
      acceptors.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** What a TLS port answers, in the clear, to a client that does not speak TLS. */
  private record PlaintextAnswers(byte[] http, byte[] line) {
    PlaintextAnswers(TransportContext context) {
      this(
          httpAnswer(context),
          TlsOrRefusal.lineAnswer(context.codec().encode(ServerFrame.Error.of(new ParleyException(
              ErrorCode.BAD_REQUEST, "this port speaks TLS: connect with TLS, not in plain text"), null))));
    }

    private static byte[] httpAnswer(TransportContext context) {
      RestResponse error = context.rest().error(
          new ParleyException(ErrorCode.BAD_REQUEST, "this port speaks HTTPS: use https:// instead of http://"));
      return TlsOrRefusal.httpAnswer(error.status(), "Bad Request", error.body());
    }
  }

  /** Counts each accepted connection in against both limits, and tells the metrics and the security log of a refusal. */
  private record Admission(
      AddressLimit perAddress, ConnectionLimit limit, Services services, SecurityLog securityLog, ClientAddresses addresses) {
    /** Null if the connection may stay, else why it is refused: its address's limit first, then the server's. */
    ParleyException admit(SocketChannel channel, String transport) {
      if (!perAddress.tryOpen(channel)) {
        refused(channel, transport, ErrorCode.TOO_MANY_CONNECTIONS);
        return ServerFullReplies.tooManyConnections(perAddress.max());
      }
      if (!limit.tryOpen(channel)) {
        refused(channel, transport, ErrorCode.SERVER_FULL);
        return ServerFullReplies.serverFull(limit.max());
      }
      return null;
    }

    private void refused(SocketChannel channel, String transport, ErrorCode reason) {
      services.metrics().connectionRefused();
      securityLog.connectionRefused(addresses.of(channel.remoteAddress()), transport, reason.wireName());
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
