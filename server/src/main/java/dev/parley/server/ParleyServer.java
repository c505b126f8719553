package dev.parley.server;

import dev.parley.protocol.CertificateFingerprint;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.account.AccountService;
import dev.parley.server.account.Administration;
import dev.parley.server.account.PasswordHasher;
import dev.parley.server.api.Services;
import dev.parley.server.chat.ChatService;
import dev.parley.server.chat.DeliveryBus;
import dev.parley.server.chat.LocalDeliveryBus;
import dev.parley.server.chat.MessageLog;
import dev.parley.server.cluster.Cluster;
import dev.parley.server.cluster.ClusterEvents;
import dev.parley.server.cluster.LocalEvents;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.files.BlobStorage;
import dev.parley.server.files.DownloadService;
import dev.parley.server.files.DownloadTickets;
import dev.parley.server.files.UploadService;
import dev.parley.server.health.HealthChecks;
import dev.parley.server.metrics.SecurityLog;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.presence.PresenceService;
import dev.parley.server.presence.UserDirectory;
import dev.parley.server.session.Sessions;
import dev.parley.server.store.MessageStore;
import dev.parley.server.store.StoreProvider;
import dev.parley.server.store.Stores;
import dev.parley.server.tls.ServerTls;
import dev.parley.server.transport.NettyTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Parley server: stores, services and transport wired together. {@link #start} returns
 * once every port listens; {@link #close} shuts down gracefully (stop accepting, commit what is
 * queued, say bye to every connection, close the database).
 */
public final class ParleyServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ParleyServer.class);
  private static final int HASHING_QUEUE = 1024;
  /** Threads writing uploads to disk: disk-bound, so a few suffice whatever the cores. */
  private static final int FILE_THREADS = 4;

  private final Stores stores;
  private final ExecutorService database;
  private final ExecutorService hashing;
  private final ExecutorService files;
  private final ScheduledExecutorService housekeeping;
  private final MessageLog messageLog;
  private final NettyTransport transport;
  private final ServerTls tls;
  /** Null for a standalone node. */
  private final Cluster cluster;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ParleyServer(
      Stores stores,
      ExecutorService database,
      ExecutorService hashing,
      ExecutorService files,
      ScheduledExecutorService housekeeping,
      MessageLog messageLog,
      NettyTransport transport,
      ServerTls tls,
      Cluster cluster) {
    this.stores = stores;
    this.database = database;
    this.hashing = hashing;
    this.files = files;
    this.housekeeping = housekeeping;
    this.messageLog = messageLog;
    this.transport = transport;
    this.tls = tls;
    this.cluster = cluster;
  }

  public static ParleyServer start(ServerConfig config) throws InterruptedException {
    return start(config, Clock.systemUTC());
  }

  /** With the clock that every expiry, throttle and rate limit reads; tests pass one they move. */
  public static ParleyServer start(ServerConfig config, Clock clock) throws InterruptedException {
    return start(config, clock, UnaryOperator.identity());
  }

  /**
   * For fault tests: as {@link #start(ServerConfig, Clock)}, with the message store that the
   * group-commit writer appends to passed through {@code messageStore} (a wrapper that injects a
   * failure).
   */
  public static ParleyServer start(ServerConfig config, Clock clock, UnaryOperator<MessageStore> messageStore)
      throws InterruptedException {
    Stores stores = StoreProvider.open(config.store());
    ExecutorService database = pool("parley-db", config.store().dbReaderThreads(), new LinkedBlockingQueue<>());
    int cores = Runtime.getRuntime().availableProcessors();
    ExecutorService hashing = pool("parley-argon2", cores, new ArrayBlockingQueue<>(HASHING_QUEUE));
    ExecutorService files = pool("parley-files", FILE_THREADS, new LinkedBlockingQueue<>());
    ScheduledExecutorService housekeeping =
        Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("parley-housekeeping").daemon().factory());
    ServerMetrics metrics = new ServerMetrics();
    SecurityLog securityLog = new SecurityLog(clock);

    Sessions sessions = new Sessions();
    PresenceService presence = new PresenceService(config.presence().watchMaxUsers());
    metrics.onlineUsers(sessions::onlineUsers);
    MessageLog messageLog =
        new MessageLog(messageStore.apply(stores.messages()), config.chat().commitBatchMax(), metrics);
    HealthChecks health = new HealthChecks();
    health.add("writer", () -> messageLog.problem(config.chat().writerStallTimeout()));
    health.add("database", stores::problem);
    FrameCodec codec = new FrameCodec();

    // Standalone, or one node of several on a bus: the only place that decides (README, "Several nodes").
    LocalDeliveryBus localDelivery = new LocalDeliveryBus(sessions, messageLog);
    Cluster cluster = null;
    if (!config.cluster().standalone()) {
      try {
        cluster = Cluster.connect(
            config.cluster(), codec, sessions, localDelivery, stores.messages(), messageLog::committing, presence, health);
      } catch (InterruptedException | RuntimeException e) {
        abandon(messageLog, stores, database, files, hashing, housekeeping);
        throw e;
      }
    }
    if (cluster != null) {
      metrics.busRecovered(cluster, Cluster::recoveredEntries);
    }
    sessions.addPresenceListener(cluster == null ? presence : cluster.presence());
    ClusterEvents events = cluster == null ? new LocalEvents(sessions) : cluster.events();
    DeliveryBus delivery = cluster == null ? localDelivery : cluster.delivery();

    AccountService accounts =
        AccountService.fromSettings(
            stores.users(), stores.tokens(), stores.limitCells(), config.accounts(), securityLog, clock, hashing, database, metrics);
    accounts.onRevocation(events);
    Administration admin = new Administration(
        stores.users(), stores.tokens(), stores.invites(), accounts, new PasswordHasher(config.accounts().argon2()),
        cluster == null ? sessions::isOnline : cluster::isOnline, securityLog, clock, hashing, database);

    // A new account shows up in every connected client's people list (PROTOCOL.md, user frame).
    accounts.onRegistration(user -> events.toEveryone(new ServerFrame.User(user.username(), false)));

    ChatService chat =
        new ChatService(
            stores.users(),
            stores.messages(),
            stores.conversations(),
            messageLog,
            stores.limitCells(),
            delivery,
            events,
            sessions,
            config.chat(),
            config.connections(),
            database,
            clock,
            metrics,
            securityLog);
    BlobStorage blobs = new BlobStorage(config.store().filesDir());
    metrics.uploadBytesRehashed(blobs, BlobStorage::bytesRehashed);
    chat.revisions().onFileFreed(fileId -> {
      try {
        blobs.deleteFile(fileId);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    UploadService uploads = new UploadService(stores.files(), stores.uploadLocks(), stores.users(), blobs, chat, config.files(), clock, securityLog);
    admin.onDeletion(chat::forget);
    Services services =
        new Services(
            accounts,
            admin,
            chat,
            presence,
            new UserDirectory(stores.users(), presence, database),
            uploads,
            new DownloadService(stores.files(), blobs, new DownloadTickets(config.files().downloadTicketTtl(), clock), clock,
                (fileId, userId) -> stores.conversations().roomOfFile(fileId).map(room -> chat.rooms().isMember(userId, room))),
            metrics,
            config.presence().users(),
            config.chat().history(),
            config.connections(),
            health);

    NettyTransport transport;
    ServerTls tls;
    try {
      tls = ServerTls.of(config.tls(), config.store().dataDir());
      uploads.recover();
      if (cluster != null) {
        cluster.start(chat.rooms()::forget, chat::forget);
      }
      transport = NettyTransport.start(config, services, codec, files, securityLog, tls);
    } catch (InterruptedException | RuntimeException e) {
      if (cluster != null) {
        cluster.close();
      }
      abandon(messageLog, stores, database, files, hashing, housekeeping);
      throw e;
    }
    every(housekeeping, Duration.ofHours(1), "purging expired tokens", accounts::purgeExpiredTokens);
    every(housekeeping, Duration.ofMinutes(10), "purging expired uploads", uploads::purgeExpired);
    every(housekeeping, Duration.ofMinutes(10), "forgetting idle senders' message rates", chat::forgetIdleSenders);
    every(housekeeping, SecurityLog.SUMMARY_INTERVAL, "writing security log summaries", securityLog::flush);
    return new ParleyServer(stores, database, hashing, files, housekeeping, messageLog, transport, tls, cluster);
  }

  /** The certificate's fingerprint that clients pin, when the ports speak TLS. */
  public Optional<CertificateFingerprint> tlsFingerprint() {
    return Optional.ofNullable(tls).map(ServerTls::fingerprint);
  }

  /** Who does the TLS cryptography ({@code OpenSSL (BoringSSL)} or {@code JDK}), when the ports speak TLS. */
  public Optional<String> tlsProvider() {
    return Optional.ofNullable(tls).map(ServerTls::providerName);
  }

  /** Where the certificate is read from (the generated one's file for {@code tls=self-signed}), when the ports speak TLS. */
  public Optional<Path> tlsCertificateFile() {
    return Optional.ofNullable(tls).map(ServerTls::certificateFile);
  }

  /**
   * Reads the TLS certificate and key files again (SIGHUP): connections accepted from now on
   * handshake with what they hold now; open connections are not touched. Nothing happens when
   * TLS is off.
   *
   * @throws IllegalArgumentException when the files cannot be used; the certificate in use stays
   */
  public Optional<CertificateFingerprint> reloadTlsCertificate() {
    return Optional.ofNullable(tls).map(ServerTls::reload);
  }

  public InetSocketAddress httpAddress() {
    return transport.httpAddress();
  }

  public InetSocketAddress tcpAddress() {
    return transport.tcpAddress();
  }

  /** The admin listener: {@code /metrics} and {@code /healthz}. */
  public InetSocketAddress adminAddress() {
    return transport.adminAddress();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    transport.stopAccepting();
    messageLog.close();
    transport.close();
    if (cluster != null) {
      cluster.close();
    }
    housekeeping.shutdownNow();
    hashing.shutdown();
    files.shutdown();
    database.shutdown();
    try {
      hashing.awaitTermination(5, TimeUnit.SECONDS);
      files.awaitTermination(5, TimeUnit.SECONDS);
      database.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stores.close();
    log.info("stopped");
  }

  /** A start that failed half-way: stops what was started, without waiting. */
  private static void abandon(MessageLog messageLog, Stores stores, ExecutorService... executors) {
    messageLog.close();
    for (ExecutorService executor : executors) {
      executor.shutdownNow();
    }
    stores.close();
  }

  /** A periodic chore whose failure is logged and does not stop later runs. */
  private static void every(ScheduledExecutorService scheduler, Duration period, String what, Runnable chore) {
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            chore.run();
          } catch (RuntimeException e) {
            log.warn("{} failed", what, e);
          }
        },
        period.toMinutes(),
        period.toMinutes(),
        TimeUnit.MINUTES);
  }

  private static ExecutorService pool(String name, int threads, BlockingQueue<Runnable> queue) {
    return new ThreadPoolExecutor(
        threads, threads, 0, TimeUnit.MILLISECONDS, queue, Thread.ofPlatform().name(name + "-", 1).daemon().factory());
  }
}
