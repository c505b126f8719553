package dev.parley.server.store;

/**
 * A complete, verified file; its bytes live under the data directory by {@code id}, never by name.
 * {@code deleted}: its sender deleted it; the record stays for the history, the bytes do not.
 */
public record FileRecord(
    String id,
    long senderId,
    long recipientId,
    String name,
    long size,
    String sha256,
    String type,
    long createdAtMillis,
    boolean deleted) {}
