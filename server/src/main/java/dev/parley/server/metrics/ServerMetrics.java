package dev.parley.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.ToLongFunction;

/** The server's meters, exposed in Prometheus text at {@code /metrics}. Thread-safe. */
public final class ServerMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicInteger tcpConnections = new AtomicInteger();
  private final AtomicInteger webSocketConnections = new AtomicInteger();
  private final Counter connectionsRefused;
  private final Counter loginsSucceeded;
  private final Counter loginsFailed;
  private final Counter passwordHashes;
  private final Counter messagesStored;
  private final Timer commitLatency;
  private final DistributionSummary commitBatchSize;

  public ServerMetrics() {
    Gauge.builder("parley.connections", tcpConnections, AtomicInteger::get)
        .tag("transport", "tcp")
        .description("Open connections")
        .register(registry);
    Gauge.builder("parley.connections", webSocketConnections, AtomicInteger::get)
        .tag("transport", "websocket")
        .description("Open connections")
        .register(registry);
    connectionsRefused =
        Counter.builder("parley.connections.refused")
            .description("Connections refused because max-connections were open")
            .register(registry);
    Gauge.builder("process.resident.memory", ResidentMemory::bytes)
        .baseUnit("bytes")
        .description("Resident set size of the process (VmRSS)")
        .register(registry);
    loginsSucceeded = Counter.builder("parley.logins").tag("result", "success").register(registry);
    loginsFailed = Counter.builder("parley.logins").tag("result", "failure").register(registry);
    passwordHashes =
        Counter.builder("parley.password.hashes")
            .description("Argon2 computations (hashing a new password or verifying one): the costly part of register and login")
            .register(registry);
    messagesStored = Counter.builder("parley.messages").description("Messages committed").register(registry);
    commitLatency =
        Timer.builder("parley.commit")
            .description("Duration of one group commit")
            .publishPercentiles(0.5, 0.99)
            .distributionStatisticExpiry(Duration.ofMinutes(1))
            .register(registry);
    commitBatchSize =
        DistributionSummary.builder("parley.commit.batch")
            .description("Messages per group commit")
            .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
  }

  public void onlineUsers(IntSupplier count) {
    Gauge.builder("parley.users.online", count::getAsInt).description("Users with a live session").register(registry);
  }

  /**
   * Bytes of partial uploads read back to rebuild their SHA-256 (after a restart or a failed
   * write), read from {@code source}; the meter holds it weakly, so it must live as long as the server.
   */
  public <T> void uploadBytesRehashed(T source, ToLongFunction<T> bytes) {
    FunctionCounter.builder("parley.uploads.rehashed", source, value -> bytes.applyAsLong(value))
        .baseUnit("bytes")
        .description("Bytes of partial uploads read back to rebuild their SHA-256")
        .register(registry);
  }

  /**
   * Messages this node read back from the database because the bus lost them or they came late
   * (several nodes only), read from {@code source}, held weakly as above.
   */
  public <T> void busRecovered(T source, ToLongFunction<T> messages) {
    FunctionCounter.builder("parley.bus.recovered", source, value -> messages.applyAsLong(value))
        .description("Messages read back from the database that the bus lost or delivered late")
        .register(registry);
  }

  /** The limit on TCP and HTTP connections together, and how many of them are open. */
  public void connectionLimit(int max, IntSupplier open) {
    Gauge.builder("parley.connections.max", () -> max).description("max-connections").register(registry);
    Gauge.builder("parley.connections.open", open::getAsInt)
        .description("Open TCP and HTTP connections, authenticated or not, counted against max-connections")
        .register(registry);
  }

  public void connectionRefused() {
    connectionsRefused.increment();
  }

  public void connectionOpened(String transport) {
    counterFor(transport).incrementAndGet();
  }

  public void connectionClosed(String transport) {
    counterFor(transport).decrementAndGet();
  }

  public void loginSucceeded() {
    loginsSucceeded.increment();
  }

  public void loginFailed() {
    loginsFailed.increment();
  }

  public void passwordHashed() {
    passwordHashes.increment();
  }

  public void messageStored() {
    messagesStored.increment();
  }

  public void committed(int messages, long nanos) {
    commitLatency.record(nanos, TimeUnit.NANOSECONDS);
    commitBatchSize.record(messages);
  }

  public String scrape() {
    return registry.scrape();
  }

  private AtomicInteger counterFor(String transport) {
    return "tcp".equals(transport) ? tcpConnections : webSocketConnections;
  }
}
