package dev.parley.app;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The web client's URLs that people can open once the server listens. A server on every address
 * ({@code 0.0.0.0} or {@code ::}) is reached by the machine's own addresses, not by the wildcard:
 * one URL per non-loopback address of each interface that is up, IPv4 first (what people type and
 * phones resolve), link-local IPv6 left out (a browser needs a zone id for those). With no such
 * address, or a server on one address, the URL is that of the address it listens on.
 */
final class BrowserUrls {
  private BrowserUrls() {}

  static List<URI> of(String scheme, String host, int port) {
    return of(scheme, host, port, machineAddresses());
  }

  /** The URLs ({@code http} or {@code https}) for a server on {@code host}, given the machine's addresses. */
  static List<URI> of(String scheme, String host, int port, List<InetAddress> machineAddresses) {
    if (!isWildcard(host)) {
      return List.of(url(scheme, host, port));
    }
    List<URI> urls = machineAddresses.stream()
        .filter(address -> !address.isLoopbackAddress() && !address.isLinkLocalAddress() && !address.isAnyLocalAddress())
        .sorted(Comparator.comparing(address -> address instanceof Inet4Address ? 0 : 1))
        .map(address -> url(scheme, address.getHostAddress().replaceFirst("%.*$", ""), port))
        .distinct()
        .toList();
    return urls.isEmpty() ? List.of(url(scheme, "localhost", port)) : urls;
  }

  private static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.isEmpty();
  }

  private static URI url(String scheme, String host, int port) {
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return URI.create(scheme + "://" + (bare.contains(":") ? "[" + bare + "]" : bare) + ":" + port + "/");
  }

  /** Every address of every interface that is up, in the order the system lists them. */
  private static List<InetAddress> machineAddresses() {
    List<InetAddress> addresses = new ArrayList<>();
    try {
      for (NetworkInterface network : NetworkInterface.networkInterfaces().toList()) {
        if (network.isUp()) {
          addresses.addAll(network.inetAddresses().toList());
        }
      }
    } catch (SocketException e) {
      // No interface list (a sandbox without /proc/net): fall back to the loopback URL.
    }
    return addresses;
  }
}
