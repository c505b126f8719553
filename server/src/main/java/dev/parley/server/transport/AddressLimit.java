package dev.parley.server.transport;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the open connections of each client IP address over both listening sockets against
 * {@code max-connections-per-address}, so that one host cannot take every connection the server
 * has. The address is the socket's peer: behind a reverse proxy every client has the proxy's, so
 * peers in {@code trusted-proxies} are not counted (their clients are told apart only by headers,
 * which arrive after the connection is accepted).
 * An address reaching its limit is logged once when it starts and once when it clears, however
 * many of its connections are refused meanwhile. An address is forgotten once it has no open
 * connection, so the map holds at most the open connections' addresses. Thread-safe: a lock held
 * only to count, once per connection opened or closed.
 */
final class AddressLimit {
  private static final Logger log = LoggerFactory.getLogger(AddressLimit.class);

  /** One address's open connections, and whether it is being refused (an episode is logged). */
  private static final class Count {
    int open;
    boolean full;
  }

  private final int max;
  private final ClientAddresses clientAddresses;
  /** At or below this count a refused address is said to be accepted again, as {@link ConnectionLimit} does. */
  private final int clearAt;
  /** Guarded by itself. */
  private final Map<InetAddress, Count> counts = new HashMap<>();

  /** @param clientAddresses which peers are trusted proxies, exempt from the limit */
  AddressLimit(int max, ClientAddresses clientAddresses) {
    this.max = max;
    this.clientAddresses = clientAddresses;
    this.clearAt = max - Math.max(1, max / 20);
  }

  int max() {
    return max;
  }

  /**
   * Counts a just-accepted channel in against its address, or reports that the address has as
   * many connections as it may. A counted channel is counted out when it closes; a trusted
   * proxy's is not counted at all.
   */
  boolean tryOpen(Channel channel) {
    if (!(channel.remoteAddress() instanceof InetSocketAddress peer)) {
      return true;
    }
    InetAddress address = peer.getAddress();
    if (clientAddresses.isTrusted(address)) {
      return true;
    }
    boolean startsEpisode;
    synchronized (counts) {
      Count count = counts.computeIfAbsent(address, key -> new Count());
      if (count.open < max) {
        count.open++;
        channel.closeFuture().addListener(future -> closed(address));
        return true;
      }
      startsEpisode = !count.full;
      count.full = true;
    }
    if (startsEpisode) {
      log.warn("max-connections-per-address ({}) reached by {}: refusing its new connections until some close",
          max, address.getHostAddress());
    }
    return false;
  }

  private void closed(InetAddress address) {
    boolean endsEpisode;
    synchronized (counts) {
      Count count = counts.get(address);
      count.open--;
      endsEpisode = count.full && count.open <= clearAt;
      if (endsEpisode) {
        count.full = false;
      }
      if (count.open == 0) {
        counts.remove(address);
      }
    }
    if (endsEpisode) {
      log.info("{} is below max-connections-per-address ({}) again", address.getHostAddress(), max);
    }
  }
}
