package dev.parley.server.store;

/** A stored login token, known only by its hash. */
public record TokenRecord(User user, long createdAtMillis, long lastUsedAtMillis) {}
