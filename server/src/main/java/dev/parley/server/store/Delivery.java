package dev.parley.server.store;

/** Message {@code seq} has reached at least one live connection of user {@code userId}. */
public record Delivery(long userId, long seq) {}
