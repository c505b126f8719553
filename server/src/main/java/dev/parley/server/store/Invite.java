package dev.parley.server.store;

/**
 * A stored invite code (only its hash is stored).
 *
 * @param createdBy the admin who made it, or null when the operator's CLI did
 * @param expiresAtMillis null for never
 * @param revokedAtMillis null unless an admin revoked it
 */
public record Invite(
    long id, String createdBy, long createdAtMillis, Long expiresAtMillis, int maxUses, int uses, Long revokedAtMillis) {}
