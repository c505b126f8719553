package dev.parley.server.store;

/** A room member a message mentions, by id (for their mention count) and name (for the message). */
public record Mention(long userId, String username) {}
