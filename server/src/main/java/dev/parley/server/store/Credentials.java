package dev.parley.server.store;

/** A user with the Argon2id hash of their password (PHC string). */
public record Credentials(User user, String passwordHash) {}
