package dev.parley.server.store;

/**
 * A user with the Argon2id hash of their password (PHC string) and what stands between a correct
 * password and a login: a disabled account, or a reset password that must be replaced first.
 */
public record Credentials(User user, String passwordHash, boolean disabled, boolean passwordChangeRequired) {}
