package dev.parley.server.config;

import java.util.List;

/**
 * Where the server listens and how many connections it accepts.
 *
 * @param httpPort HTTP and WebSocket; 0 picks a free port
 * @param tcpPort the line protocol; 0 picks a free port
 * @param maxConnections open connections over both ports; one more is refused with {@code server_full}
 * @param maxConnectionsPerAddress open connections over both ports from one client IP address; one
 *     more is refused with {@code too_many_connections}; peers in {@code trustedProxies} are exempt
 * @param trustedProxies peers whose {@code Forwarded} / {@code X-Forwarded-For} headers name the client
 */
public record ListenSettings(
    String host,
    int httpPort,
    int tcpPort,
    int maxConnections,
    int maxConnectionsPerAddress,
    List<AddressRange> trustedProxies) {}
