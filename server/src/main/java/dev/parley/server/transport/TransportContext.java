package dev.parley.server.transport;

import dev.parley.protocol.FrameCodec;
import dev.parley.server.api.ClientConnection;
import dev.parley.server.api.RestApi;
import dev.parley.server.api.Services;
import dev.parley.server.config.ServerConfig;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What every handler of every transport shares, and the set of open frame connections. Thread-safe. */
final class TransportContext {
  private final ServerConfig config;
  private final FrameCodec codec;
  private final Services services;
  private final RestApi rest;
  private final ClientAddresses clientAddresses;
  private final Map<Channel, ClientConnection> connections = new ConcurrentHashMap<>();
  /** The channels of frame connections, so that shutdown can wait until each has said bye. */
  private final ChannelGroup frameChannels = new DefaultChannelGroup("parley-frames", GlobalEventExecutor.INSTANCE);

  TransportContext(ServerConfig config, FrameCodec codec, Services services, RestApi rest) {
    this.config = config;
    this.codec = codec;
    this.services = services;
    this.rest = rest;
    this.clientAddresses = new ClientAddresses(config.listen().trustedProxies());
  }

  ServerConfig config() {
    return config;
  }

  FrameCodec codec() {
    return codec;
  }

  Services services() {
    return services;
  }

  RestApi rest() {
    return rest;
  }

  ClientAddresses clientAddresses() {
    return clientAddresses;
  }

  void opened(Channel channel, ClientConnection connection, String transport) {
    connections.put(channel, connection);
    frameChannels.add(channel);
    services.metrics().connectionOpened(transport);
  }

  void closed(Channel channel, String transport) {
    ClientConnection connection = connections.remove(channel);
    if (connection != null) {
      services.metrics().connectionClosed(transport);
      connection.onClosed();
    }
  }

  /** Sends every open connection {@code bye shutdown}; each closes once that is written. */
  void sayGoodbyeToAll() {
    connections.values().forEach(ClientConnection::onShutdown);
  }

  ChannelGroup frameChannels() {
    return frameChannels;
  }
}
