package dev.parley.server.store;

/**
 * One login token of a user, as their sessions list shows it.
 *
 * @param clientAddress the address that logged in, or null when not known
 * @param clientAgent the client's User-Agent (HTTP) or transport name, or null when not known
 */
public record LoginSession(String tokenHash, long createdAtMillis, long lastUsedAtMillis, String clientAddress, String clientAgent) {}
