package dev.parley.server.admin;

/** A user to create in bulk: the name as shown, its case-folded key, and a PHC password hash. */
public record NewUser(String username, String usernameKey, String passwordHash) {}
