package dev.parley.server.store;

/**
 * An upload in progress (tus). {@code length} is null while deferred; {@code offset} is what is
 * durably on disk; {@code expectedSha256} (hex, optional) is checked against the whole file at
 * the end; {@code metadata} is the Upload-Metadata header as the client sent it.
 */
public record UploadRecord(
    String id,
    long ownerId,
    long recipientId,
    String filename,
    String type,
    String expectedSha256,
    Long length,
    long offset,
    String metadata,
    long createdAtMillis,
    long expiresAtMillis) {

  public UploadRecord withOffset(long newOffset) {
    return new UploadRecord(
        id, ownerId, recipientId, filename, type, expectedSha256, length, newOffset, metadata, createdAtMillis, expiresAtMillis);
  }

  public UploadRecord withLength(long newLength) {
    return new UploadRecord(
        id, ownerId, recipientId, filename, type, expectedSha256, newLength, offset, metadata, createdAtMillis, expiresAtMillis);
  }
}
