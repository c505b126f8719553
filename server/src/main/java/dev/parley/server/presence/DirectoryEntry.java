package dev.parley.server.presence;

/** One user in a listing, with whether they are online now. */
public record DirectoryEntry(String username, boolean online) {}
