package dev.parley.server.config;

/**
 * The admin listener, which serves {@code /metrics} and {@code /healthz} apart from the public
 * HTTP port, and who may read {@code /metrics} on the public port.
 *
 * @param host the address the admin listener binds to; loopback by default, so only the machine
 *     itself can scrape
 * @param port the admin listener's port; 0 picks a free one
 * @param metricsToken when not null, {@code /metrics} is served on the public port too, to
 *     {@code Authorization: Bearer <metricsToken>} only; when null it is not there (404)
 */
public record AdminSettings(String host, int port, String metricsToken) {}
