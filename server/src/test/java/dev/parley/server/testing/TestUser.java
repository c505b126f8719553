package dev.parley.server.testing;

/** A registered user of a test server and one of its login tokens. */
public record TestUser(String username, String password, String token) {}
