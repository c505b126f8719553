package dev.parley.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The default {@code node-id}: the host's name and a random suffix, so two nodes on one host differ. */
final class NodeIds {
  private NodeIds() {}

  static String generated() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "node";
    }
    byte[] random = new byte[3];
    new SecureRandom().nextBytes(random);
    String safe = host.replaceAll("[^A-Za-z0-9_.-]", "-");
    return safe.substring(0, Math.min(safe.length(), 50)) + "-" + HexFormat.of().formatHex(random);
  }
}
