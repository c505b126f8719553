package dev.parley.server.account;

import dev.parley.server.store.User;

/** A user proven by a token; the token itself is never kept, only its hash. */
public record Authenticated(User user, String tokenHash) {}
