package dev.parley.server.admin;

/** A login token to insert in bulk, known only by its SHA-256 hash (hex). */
public record NewToken(String tokenHash, long userId) {}
