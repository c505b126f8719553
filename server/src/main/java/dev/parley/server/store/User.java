package dev.parley.server.store;

/** A registered user. {@code username} is as registered (NFC); lookups use its case-folded key. */
public record User(long id, String username) {}
