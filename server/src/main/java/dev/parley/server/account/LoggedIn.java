package dev.parley.server.account;

/** A fresh login: the token is handed to the client once and never stored. */
public record LoggedIn(Authenticated authenticated, String token) {}
