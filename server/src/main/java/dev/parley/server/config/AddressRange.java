package dev.parley.server.config;

import io.netty.util.NetUtil;
import java.net.InetAddress;

/**
 * An IP address or a CIDR range of them, such as {@code 10.0.0.0/8} or {@code ::1}. Parsed
 * without DNS: a host name is an error, not a lookup.
 */
public record AddressRange(InetAddress network, int prefixLength) {
  public static AddressRange parse(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    InetAddress network = literal(address);
    if (network == null) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range");
    }
    int bits = network.getAddress().length * 8;
    int prefix;
    try {
      prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      prefix = -1;
    }
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0 to " + bits);
    }
    return new AddressRange(network, prefix);
  }

  /** The address of an IP literal, or null when the text is not one (never a DNS lookup). */
  public static InetAddress literal(String text) {
    return NetUtil.createInetAddressFromIpAddressString(text);
  }

  /** Whether the address lies in this range; an IPv4 address is never in an IPv6 range, nor the reverse. */
  public boolean contains(InetAddress address) {
    byte[] candidate = address.getAddress();
    byte[] prefix = network.getAddress();
    if (candidate.length != prefix.length) {
      return false;
    }
    int fullBytes = prefixLength / 8;
    for (int i = 0; i < fullBytes; i++) {
      if (candidate[i] != prefix[i]) {
        return false;
      }
    }
    int restBits = prefixLength % 8;
    int mask = (0xff << (8 - restBits)) & 0xff;
    return restBits == 0 || (candidate[fullBytes] & mask) == (prefix[fullBytes] & mask);
  }
}
