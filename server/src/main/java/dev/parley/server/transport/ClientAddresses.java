package dev.parley.server.transport;

import dev.parley.server.config.AddressRange;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The address of the client behind a connection or request: what login throttling, registration
 * limits and the security log count per address. It is the socket's peer, unless that peer is
 * one of the {@code trusted-proxies}; then the {@code Forwarded} header (RFC 7239), or else
 * {@code X-Forwarded-For}, is read from right to left, each hop added by the one after it, and the
 * first address that is not a trusted proxy is the client. Headers from any other peer are
 * ignored, since anyone can send them. Thread-safe.
 */
final class ClientAddresses {
  private static final String X_FORWARDED_FOR = "X-Forwarded-For";
  private static final String FORWARDED = "Forwarded";

  private final List<AddressRange> trustedProxies;

  ClientAddresses(List<AddressRange> trustedProxies) {
    this.trustedProxies = List.copyOf(trustedProxies);
  }

  /** A connection without headers (TCP): its peer. */
  String of(SocketAddress peer) {
    return peer instanceof InetSocketAddress inet ? text(inet.getAddress()) : String.valueOf(peer);
  }

  /** An HTTP request or WebSocket upgrade. */
  String of(SocketAddress peer, HttpHeaders headers) {
    if (!(peer instanceof InetSocketAddress inet) || !isTrusted(inet.getAddress())) {
      return of(peer);
    }
    InetAddress client = inet.getAddress();
    List<String> hops = headers.contains(FORWARDED) ? forwardedFor(headers.getAll(FORWARDED)) : xForwardedFor(headers.getAll(X_FORWARDED_FOR));
    for (int i = hops.size() - 1; i >= 0 && isTrusted(client); i--) {
      InetAddress hop = parse(hops.get(i));
      if (hop == null) {
        // "unknown", an obfuscated name or garbage: the trusted proxy that wrote it is the nearest known client.
        break;
      }
      client = hop;
    }
    return text(client);
  }

  /** Whether the address is one of the {@code trusted-proxies}. */
  boolean isTrusted(InetAddress address) {
    for (AddressRange range : trustedProxies) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** {@code X-Forwarded-For: client, proxy1, proxy2}, possibly over several header lines. */
  private static List<String> xForwardedFor(List<String> lines) {
    List<String> hops = new ArrayList<>();
    for (String line : lines) {
      for (String hop : line.split(",")) {
        hops.add(hop.strip());
      }
    }
    return hops;
  }

  /** The {@code for=} of each element of {@code Forwarded: for=192.0.2.60;proto=http, for="[2001:db8::1]:4711"}. */
  private static List<String> forwardedFor(List<String> lines) {
    List<String> hops = new ArrayList<>();
    for (String line : lines) {
      for (String element : line.split(",")) {
        String forValue = "";
        for (String pair : element.split(";")) {
          int equals = pair.indexOf('=');
          if (equals > 0 && pair.substring(0, equals).strip().toLowerCase(Locale.ROOT).equals("for")) {
            forValue = unquote(pair.substring(equals + 1).strip());
          }
        }
        hops.add(forValue);
      }
    }
    return hops;
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
  }

  /** An IPv4 or IPv6 literal, bracketed or not, with or without a port; null for anything else. */
  private static InetAddress parse(String node) {
    String host = node;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      host = close < 0 ? "" : host.substring(1, close);
    } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
      host = host.substring(0, host.indexOf(':'));
    }
    return AddressRange.literal(host);
  }

  private static String text(InetAddress address) {
    return NetUtil.toAddressString(address);
  }
}
