package dev.parley.server.cluster;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.parley.protocol.FrameCodec;
import dev.parley.server.config.ClusterSettings;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's connection to the NATS server(s), core NATS only: events go out on one subject,
 * {@code SUBJECT.events}, so that each node's events arrive at the others in the order it
 * published them; a node does not hear its own ({@code noEcho}). Core NATS delivers at most once:
 * what is lost is repaired by the receivers ({@link DeliveryOrder}, the presence heartbeats).
 *
 * <p>jnats reconnects by itself, for ever; meanwhile publishing is buffered by jnats and what
 * overflows is dropped (and repaired as above). {@link #problem()} says the bus is lost while it is,
 * with one log line when it goes and one when it returns. Thread-safe.
 */
final class NatsBus implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NatsBus.class);
  private static final Duration RECONNECT_WAIT = Duration.ofSeconds(1);
  /** What jnats holds for the server while it is away; beyond it events are dropped and repaired. */
  private static final long RECONNECT_BUFFER_BYTES = 8L << 20;

  private final String subject;
  private final String servers;
  private final ObjectWriter writer;
  private final ObjectReader reader;
  private final AtomicReference<String> problem = new AtomicReference<>();
  private final Connection connection;
  private volatile Runnable onReconnect = () -> {};

  private NatsBus(ClusterSettings settings, FrameCodec codec) throws IOException, InterruptedException {
    this.subject = settings.subject() + ".events";
    this.servers = settings.bus();
    this.writer = codec.mapper().writerFor(BusEvent.class);
    this.reader = codec.mapper().readerFor(BusEvent.class);
    Options options = new Options.Builder()
        .servers(settings.bus().split(","))
        .connectionName("parley " + settings.nodeId())
        .noEcho()
        .maxReconnects(-1)
        .reconnectWait(RECONNECT_WAIT)
        .reconnectBufferSize(RECONNECT_BUFFER_BYTES)
        .connectionListener(this::connectionEvent)
        .errorListener(new ErrorListener() {
          @Override
          public void errorOccurred(Connection source, String error) {
            log.warn("bus: the NATS server says: {}", error);
          }

          @Override
          public void slowConsumerDetected(Connection source, io.nats.client.Consumer consumer) {
            // jnats dropped events this node could not take fast enough; the receivers repair them.
            log.warn("bus: this node falls behind the bus; dropped events are read back from the database");
          }
        })
        .build();
    this.connection = Nats.connect(options);
  }

  /**
   * Connects, or fails with a message that says where it tried.
   *
   * @throws IllegalStateException when no NATS server answers
   */
  static NatsBus connect(ClusterSettings settings, FrameCodec codec) throws InterruptedException {
    try {
      NatsBus bus = new NatsBus(settings, codec);
      log.info("bus: NATS at {}, subject {}, node {}", settings.bus(), bus.subject, settings.nodeId());
      return bus;
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach the bus at " + settings.bus() + ": " + e.getMessage(), e);
    }
  }

  /** Starts hearing the other nodes' events; {@code receiver} runs on jnats' dispatcher thread, one event at a time. */
  void subscribe(Consumer<BusEvent> receiver) {
    Dispatcher dispatcher = connection.createDispatcher(message -> {
      BusEvent event;
      try {
        event = reader.readValue(message.getData());
      } catch (IOException e) {
        log.warn("bus: ignored an event that is not one ({}): {}", e.getMessage(), abbreviated(message.getData()));
        return;
      }
      receiver.accept(event);
    });
    dispatcher.subscribe(subject);
  }

  /** After the connection came back; the receivers catch up on what they missed. */
  void onReconnect(Runnable action) {
    this.onReconnect = action;
  }

  /** Sends without waiting; an event that cannot be sent now is dropped (the receivers repair it). */
  void publish(BusEvent event) {
    byte[] data;
    try {
      data = writer.writeValueAsBytes(event);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode bus event " + event.getClass().getSimpleName(), e);
    }
    try {
      connection.publish(subject, data);
    } catch (IllegalStateException e) {
      // Closed, or the reconnect buffer is full: lost like any core NATS message.
      log.debug("bus: dropped an event: {}", e.getMessage());
    }
  }

  /** What is wrong with the bus, or null while connected. */
  String problem() {
    return problem.get();
  }

  private void connectionEvent(Connection source, ConnectionListener.Events event) {
    switch (event) {
      case DISCONNECTED -> {
        String lost = "lost the bus at " + servers + "; reconnecting (this node's own sessions keep working)";
        if (problem.getAndSet(lost) == null) {
          log.warn("bus: {}", lost);
        }
      }
      case RECONNECTED, CONNECTED -> {
        if (problem.getAndSet(null) != null) {
          log.info("bus: connected again to {}", source.getConnectedUrl());
          onReconnect.run();
        }
      }
      case CLOSED -> problem.set("the bus connection is closed");
      default -> {
        // Discovered servers, lame duck mode, resubscription: nothing to report.
      }
    }
  }

  private static String abbreviated(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }

  @Override
  public void close() throws InterruptedException {
    connection.close();
  }
}
