package dev.parley.server.config;

/**
 * Who is there: the user listing and presence watches.
 *
 * @param users pages of the user listing
 * @param watchMaxUsers most users one connection may watch
 */
public record PresenceSettings(PageLimits users, int watchMaxUsers) {}
