package dev.parley.server.store;

/**
 * A user as an admin sees the account.
 *
 * @param lastSeenAtMillis the last login or token use (written at most hourly), or null if never
 */
public record UserAccount(
    User user, long createdAtMillis, Long lastSeenAtMillis, boolean admin, boolean disabled, boolean passwordChangeRequired) {}
