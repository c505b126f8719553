package dev.parley.server.files;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.account.Usernames;
import dev.parley.server.chat.ChatService;
import dev.parley.server.config.ServerConfig.FileLimits;
import dev.parley.server.metrics.SecurityLog;
import dev.parley.server.store.FileRecord;
import dev.parley.server.store.FileStore;
import dev.parley.server.store.UploadLocks;
import dev.parley.server.store.UploadRecord;
import dev.parley.server.store.User;
import dev.parley.server.store.UserStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumable uploads (the semantics of tus 1.0; the HTTP framing is the transport's). The offset
 * recorded in the store never runs ahead of what was forced to disk, so after a crash an upload
 * resumes from bytes that are really there. When the last byte is in and the whole file matches
 * its declared SHA-256, the file becomes a message to the recipient. Methods block on disk and
 * database: call them from an I/O executor. Thread-safe.
 */
public final class UploadService {
  private static final Logger log = LoggerFactory.getLogger(UploadService.class);

  private final FileStore store;
  private final UserStore users;
  private final BlobStorage blobs;
  private final ChatService chat;
  private final FileLimits limits;
  private final Clock clock;
  private final StorageQuota quota;
  /** Uploads a request is writing to right now, on any node; a second writer gets {@code upload_locked}. */
  private final UploadLocks busy;
  /** Whole-file SHA-256 so far, by upload, so a resumed upload need not re-read its bytes. */
  private final ConcurrentHashMap<String, PatchWriter.Hashed> hashes = new ConcurrentHashMap<>();

  public UploadService(
      FileStore store,
      UploadLocks locks,
      UserStore users,
      BlobStorage blobs,
      ChatService chat,
      FileLimits limits,
      Clock clock,
      SecurityLog securityLog) {
    this.store = store;
    this.busy = locks;
    this.users = users;
    this.blobs = blobs;
    this.chat = chat;
    this.limits = limits;
    this.clock = clock;
    this.quota = new StorageQuota(store, limits.maxStorageBytesPerUser(), clock, securityLog);
  }

  public FileLimits limits() {
    return limits;
  }

  /**
   * tus creation: {@code length} null means deferred (creation-defer-length). The upload counts
   * against the owner's uploads and storage from here; both checks and the creation are one step
   * per user, so concurrent creations cannot overrun either.
   */
  public UploadRecord create(User owner, Long length, String metadataHeader) {
    UploadMetadata metadata = UploadMetadata.parse(metadataHeader);
    if (length != null && length > limits.maxFileBytes()) {
      throw new ParleyException(ErrorCode.TOO_LARGE, "a file has at most " + limits.maxFileBytes() + " bytes");
    }
    // A room file is recorded as from and to its sender; the room (kept in the metadata) decides who reads it.
    User recipient = metadata.room() != null
        ? chat.rooms().requireMember(owner, metadata.room())
        : users.findByKey(Usernames.lookupKey(metadata.to()))
            .orElseThrow(() -> new ParleyException(ErrorCode.BAD_REQUEST, "no user '" + metadata.to() + "' to send to"));
    UploadRecord upload = createChecked(owner, recipient, length, metadata, metadataHeader);
    if (length != null && length == 0) {
      busy.tryLock(upload.id());
      try {
        complete(upload, BlobStorage.sha256()).join();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        busy.unlock(upload.id());
      }
    }
    return upload;
  }

  private UploadRecord createChecked(User owner, User recipient, Long length, UploadMetadata metadata, String metadataHeader) {
    long now = clock.millis();
    UploadRecord upload =
        new UploadRecord(
            BlobStorage.newId(),
            owner.id(),
            recipient.id(),
            metadata.filename(),
            metadata.type(),
            metadata.sha256(),
            length,
            0,
            metadataHeader == null ? "" : metadataHeader,
            now,
            now + limits.uploadExpiry().toMillis());
    try {
      blobs.openPart(upload.id(), 0).close();
      FileStore.Admission admission =
          store.createUploadWithin(upload, limits.maxUploadsPerUser(), limits.maxStorageBytesPerUser(), now);
      if (admission.uploads() >= limits.maxUploadsPerUser()) {
        throw ParleyException.rateLimited(
            "at most " + limits.maxUploadsPerUser() + " uploads in progress; finish or delete one", 60);
      }
      if (!admission.created()) {
        throw quota.refusal(owner, admission.usedBytes(), length == null ? 0 : length);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      deletePartQuietly(upload.id());
      throw e;
    }
    return upload;
  }

  /** The owner's upload; anyone else gets {@code not_found}, an expired one {@code upload_expired}. */
  public UploadRecord status(User owner, String id) {
    UploadRecord upload = store.findUpload(BlobStorage.requireId(id))
        .filter(u -> u.ownerId() == owner.id())
        .orElseThrow(() -> new ParleyException(ErrorCode.NOT_FOUND, "no such upload"));
    if (upload.expiresAtMillis() <= clock.millis()) {
      remove(upload.id());
      throw new ParleyException(ErrorCode.UPLOAD_EXPIRED, "the upload expired");
    }
    return upload;
  }

  /** tus termination. */
  public void terminate(User owner, String id) {
    UploadRecord upload = status(owner, id);
    if (!busy.tryLock(upload.id())) {
      throw new ParleyException(ErrorCode.UPLOAD_LOCKED, "the upload is being written to");
    }
    try {
      remove(upload.id());
    } finally {
      busy.unlock(upload.id());
    }
  }

  /**
   * Starts writing a request body at {@code clientOffset}. {@code declaredLength} is the
   * Upload-Length of a PATCH that completes a deferred length. {@code bodyBytes} is the body's
   * Content-Length, or -1 when it is not known (chunked): while the length stays deferred, the
   * body must fit in the owner's storage quota, and one of unknown length needs room for a byte at
   * least (it can overshoot by the rest of itself). The caller must end the writer with
   * {@link PatchWriter#finish} or {@link PatchWriter#abort}.
   */
  public PatchWriter beginPatch(
      User owner, String id, long clientOffset, Long declaredLength, long bodyBytes, ChunkChecksum checksum) {
    UploadRecord upload = status(owner, id);
    if (!busy.tryLock(upload.id())) {
      throw new ParleyException(ErrorCode.UPLOAD_LOCKED, "another request is writing to this upload");
    }
    try {
      if (clientOffset != upload.offset()) {
        throw new ParleyException(
            ErrorCode.OFFSET_MISMATCH, "Upload-Offset is " + clientOffset + " but the upload is at " + upload.offset());
      }
      boolean declaresLength = declaredLength != null && upload.length() == null;
      if (declaredLength != null) {
        upload = declareLength(owner, upload, declaredLength);
      }
      if (upload.length() == null) {
        quota.require(owner, bodyBytes >= 0 ? bodyBytes : 1);
      }
      PatchWriter.Hashed hashed = hashes.remove(upload.id());
      if (hashed == null || hashed.offset() != upload.offset()) {
        hashed = new PatchWriter.Hashed(blobs.digestOfPart(upload.id(), upload.offset()), upload.offset());
      }
      return new PatchWriter(
          this, upload, declaresLength, blobs.openPart(upload.id(), upload.offset()), hashed.digest(), checksum);
    } catch (IOException e) {
      busy.unlock(upload.id());
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      busy.unlock(upload.id());
      throw e;
    }
  }

  /** Removes uploads not written to within the expiry; the scheduled cleanup. */
  public void purgeExpired() {
    for (UploadRecord upload : store.uploadsExpiredBy(clock.millis())) {
      if (busy.tryLock(upload.id())) {
        try {
          remove(upload.id());
        } finally {
          busy.unlock(upload.id());
        }
      }
    }
  }

  /**
   * At start-up: an upload whose bytes were moved into place but whose message was never
   * committed (a crash between the two) is completed now, unless a request of another node holds
   * it (that node is completing it right now).
   */
  public void recover() {
    for (UploadRecord upload : store.allUploads()) {
      if (blobs.isPromoted(upload.id()) && upload.length() != null && upload.offset() == upload.length()
          && busy.tryLock(upload.id())) {
        try {
          log.info("completing upload {} interrupted by a restart", upload.id());
          commitFile(upload, upload.expectedSha256()).join();
        } finally {
          busy.unlock(upload.id());
        }
      }
    }
  }

  // Called by PatchWriter, which owns the upload while it writes.

  /** When an upload written to now expires. */
  public long expiryFromNow() {
    return clock.millis() + limits.uploadExpiry().toMillis();
  }

  void saveLength(UploadRecord upload) {
    store.saveLength(upload.id(), upload.length());
  }

  void saveProgress(UploadRecord upload) {
    store.saveProgress(upload.id(), upload.offset(), expiryFromNow());
  }

  void release(UploadRecord upload, MessageDigest digest) {
    if (digest != null) {
      hashes.put(upload.id(), new PatchWriter.Hashed(digest, upload.offset()));
    }
    busy.unlock(upload.id());
  }

  /** The last byte is in: check the whole file, move it into place, and send the file message. */
  CompletableFuture<Void> complete(UploadRecord upload, MessageDigest digest) throws IOException {
    String actual = HexFormat.of().formatHex(digest.digest());
    if (upload.expectedSha256() != null && !upload.expectedSha256().equals(actual)) {
      remove(upload.id());
      throw new ParleyException(
          ErrorCode.CHECKSUM_MISMATCH,
          "the file's SHA-256 is " + actual + ", not the declared " + upload.expectedSha256() + "; the upload was removed");
    }
    blobs.promote(upload.id());
    return commitFile(upload, actual);
  }

  private CompletableFuture<Void> commitFile(UploadRecord upload, String sha256) {
    User sender = users.findById(upload.ownerId()).orElseThrow();
    User recipient = users.findById(upload.recipientId()).orElseThrow();
    FileRecord file =
        new FileRecord(
            upload.id(),
            sender.id(),
            recipient.id(),
            upload.filename(),
            upload.length(),
            sha256,
            upload.type(),
            clock.millis(),
            false);
    String room = UploadMetadata.parse(upload.metadata()).room();
    return (room != null ? chat.sendFileToRoom(sender, room, file) : chat.sendFile(sender, recipient, file)).thenApply(ack -> null);
  }

  private UploadRecord declareLength(User owner, UploadRecord upload, long length) {
    if (upload.length() != null) {
      if (upload.length() != length) {
        throw new ParleyException(ErrorCode.BAD_REQUEST, "Upload-Length is already " + upload.length());
      }
      return upload;
    }
    if (length < upload.offset()) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "Upload-Length is below the bytes already uploaded");
    }
    if (length > limits.maxFileBytes()) {
      throw new ParleyException(ErrorCode.TOO_LARGE, "a file has at most " + limits.maxFileBytes() + " bytes");
    }
    // The upload counts its offset until now, its length once the writer records it ({@link #saveLength})
    // after the PATCH succeeds: a refused one changes nothing.
    quota.underUserLock(upload.ownerId(), () -> {
      quota.require(owner, length - upload.offset());
      return null;
    });
    return upload.withLength(length);
  }

  private void remove(String id) {
    hashes.remove(id);
    deletePartQuietly(id);
    store.deleteUpload(id);
  }

  private void deletePartQuietly(String id) {
    try {
      blobs.deletePart(id);
    } catch (IOException e) {
      log.warn("could not delete the bytes of upload {}", id, e);
    }
  }
}
