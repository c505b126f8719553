package dev.parley.server.store;

/** A complete, verified file; its bytes live under the data directory by {@code id}, never by name. */
public record FileRecord(
    String id, long senderId, long recipientId, String name, long size, String sha256, String type, long createdAtMillis) {}
