package dev.parley.server.files;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.store.UploadRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * Writes one request body into an upload. Used by one thread at a time (calls may come from
 * different threads, one after the other). Without a checksum the progress is made durable every
 * {@link #DURABLE_EVERY} bytes and at the end, so an interrupted body keeps what arrived; with one,
 * nothing counts until the whole body is verified, and a mismatch discards it.
 *
 * <p>Every {@link #FLUSH_EVERY} bytes the file's dirty pages are forced to disk on another thread
 * while the body keeps arriving and being hashed: the disk works alongside the network instead of
 * after it, and the force that makes the body durable at its end only has the last few MiB left.
 * Those early forces record nothing; the offset is still saved only after a force that covers it.
 */
public final class PatchWriter {
  static final long DURABLE_EVERY = 16L << 20;
  static final long FLUSH_EVERY = 4L << 20;
  private static final ThreadFactory FLUSHERS = Thread.ofVirtual().name("parley-upload-flush").factory();
  private static final Executor HASHERS = task -> Thread.ofVirtual().name("parley-upload-hash").start(task);

  /** A whole-file digest and the offset it has seen. */
  record Hashed(MessageDigest digest, long offset) {}

  private final UploadService uploads;
  private final FileChannel channel;
  private final MessageDigest wholeFile;
  private final ChunkChecksum checksum;
  private final MessageDigest chunk;
  private final long startOffset;
  private final MessageDigest wholeFileAtStart;
  /** This request's Upload-Length completes a deferred length: recorded only if the request succeeds. */
  private final boolean declaresLength;
  private UploadRecord upload;
  private long durableOffset;
  private long flushedFrom;
  /** The early force under way, or null. */
  private CompletableFuture<Void> flushing;
  private boolean ended;
  /** A write was refused as too large: the request must leave the upload as it found it. */
  private boolean refused;

  PatchWriter(
      UploadService uploads,
      UploadRecord upload,
      boolean declaresLength,
      FileChannel channel,
      MessageDigest wholeFile,
      ChunkChecksum checksum) {
    this.uploads = uploads;
    this.upload = upload;
    this.declaresLength = declaresLength;
    this.channel = channel;
    this.wholeFile = wholeFile;
    this.checksum = checksum;
    this.chunk = checksum == null ? null : checksum.newDigest();
    this.startOffset = upload.offset();
    this.durableOffset = upload.offset();
    this.flushedFrom = upload.offset();
    this.wholeFileAtStart = checksum == null ? null : cloneOf(wholeFile);
  }

  public UploadRecord upload() {
    return upload;
  }

  /** Appends bytes; refuses with {@code too_large} if they go past the upload's length or the size limit. */
  public void write(ByteBuffer[] buffers) throws IOException {
    long incoming = 0;
    for (ByteBuffer buffer : buffers) {
      incoming += buffer.remaining();
    }
    long limit = upload.length() != null ? upload.length() : uploads.limits().maxFileBytes();
    if (upload.offset() + incoming > limit) {
      refused = true;
      throw new ParleyException(ErrorCode.TOO_LARGE, "the body goes past the upload's length of " + limit + " bytes");
    }
    ByteBuffer[] toHash = new ByteBuffer[buffers.length];
    for (int i = 0; i < buffers.length; i++) {
      toHash[i] = buffers[i].duplicate();
    }
    long written = 0;
    try {
      // One gathering write per batch: the pieces go from the socket's direct buffers to the file
      // without a copy on the heap, in one system call where the kernel takes them all.
      while (written < incoming) {
        written += channel.write(buffers);
      }
    } finally {
      // Only what the file took counts: when a write fails part-way (a full disk), the digests
      // and the offset still cover exactly the bytes in the file, so a resumed upload hashes right.
      hash(toHash, written);
      upload = upload.withOffset(upload.offset() + written);
    }
    if (chunk == null && upload.offset() - durableOffset >= DURABLE_EVERY) {
      makeDurable();
    } else if (upload.offset() - flushedFrom >= FLUSH_EVERY && (flushing == null || flushing.isDone())) {
      flushedFrom = upload.offset();
      flushing = CompletableFuture.runAsync(this::forceEarly, task -> FLUSHERS.newThread(task).start());
    }
  }

  /**
   * Adds the first {@code count} bytes of {@code buffers} to the digests. With a SHA chunk checksum
   * every byte feeds two SHA states, computed side by side on two threads: hashing, not the disk,
   * bounds such an upload (docs/BENCHMARKS.md), and a second core, where one is free, halves it.
   * A cheap chunk checksum is computed here, after the whole file's.
   */
  private void hash(ByteBuffer[] buffers, long count) {
    ByteBuffer[] written = firstBytes(buffers, count);
    if (chunk == null || checksum.cheap()) {
      update(wholeFile, written);
      if (chunk != null) {
        update(chunk, written);
      }
      return;
    }
    CompletableFuture<Void> whole = CompletableFuture.runAsync(() -> update(wholeFile, written), HASHERS);
    update(chunk, written);
    whole.join();
  }

  private static void update(MessageDigest digest, ByteBuffer[] buffers) {
    for (ByteBuffer buffer : buffers) {
      digest.update(buffer.duplicate());
    }
  }

  /** Views of the buffers limited to their first {@code count} bytes together. */
  private static ByteBuffer[] firstBytes(ByteBuffer[] buffers, long count) {
    ByteBuffer[] views = new ByteBuffer[buffers.length];
    long left = count;
    for (int i = 0; i < buffers.length; i++) {
      ByteBuffer view = buffers[i].duplicate();
      int take = (int) Math.min(left, view.remaining());
      view.limit(view.position() + take);
      views[i] = view;
      left -= take;
    }
    return views;
  }

  private void forceEarly() {
    try {
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the early force, so that the channel is not truncated or closed under it; its failure is this one's. */
  private void awaitFlush() throws IOException {
    if (flushing == null) {
      return;
    }
    try {
      flushing.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      throw e;
    } finally {
      flushing = null;
    }
  }

  /**
   * The body is complete: verify its checksum, make it durable, and if it was the last byte,
   * complete the upload. The future completes with the new offset once all that is committed;
   * a completing upload stays locked until its message is.
   */
  public CompletableFuture<Long> finish() throws IOException {
    ended = true;
    if (chunk != null && !checksum.matches(chunk)) {
      try {
        discard();
        channel.close();
      } catch (IOException | RuntimeException e) {
        closeQuietly();
        uploads.release(upload, null);
        throw e;
      }
      // The bytes before this body are untouched: keep their digest, so that the retry does not
      // read the whole partial file back to rebuild it.
      uploads.release(upload, wholeFileAtStart);
      throw new ParleyException(ErrorCode.CHECKSUM_MISMATCH, "the body does not match Upload-Checksum; it was discarded");
    }
    boolean complete;
    try {
      makeDurable();
      channel.close();
      if (declaresLength) {
        uploads.saveLength(upload);
      }
      complete = upload.length() != null && upload.offset() == upload.length();
      if (!complete) {
        uploads.release(upload, wholeFile);
        return CompletableFuture.completedFuture(upload.offset());
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly();
      uploads.release(upload, null);
      throw e;
    }
    long offset = upload.offset();
    UploadRecord finished = upload;
    try {
      return uploads.complete(finished, wholeFile)
          .whenComplete((done, error) -> uploads.release(finished, null))
          .thenApply(done -> offset);
    } catch (IOException | RuntimeException e) {
      uploads.release(finished, null);
      throw e;
    }
  }

  /**
   * The body was cut off (the connection dropped, or a write failed): keep what is durable-worthy
   * and free the upload for the next request. A body refused as too large keeps nothing, not even
   * the part that fitted. Does nothing after {@link #finish}.
   */
  public void abort() {
    if (ended) {
      return;
    }
    ended = true;
    try {
      if (chunk != null || refused) {
        discard();
        // Progress a long refused body recorded on its way is taken back too.
        if (durableOffset != startOffset) {
          uploads.saveProgress(upload);
        }
      } else {
        makeDurable();
      }
      channel.close();
      uploads.release(upload, chunk != null ? wholeFileAtStart : refused ? null : wholeFile);
    } catch (IOException | RuntimeException e) {
      closeQuietly();
      uploads.release(upload, null);
    }
  }

  private void closeQuietly() {
    if (flushing != null) {
      // Its failure, if any, is not the one to report.
      flushing.exceptionally(e -> null).join();
      flushing = null;
    }
    try {
      channel.close();
    } catch (IOException e) {
      // Closing after a failure: the failure is what gets reported.
    }
  }

  /** Forces the bytes to disk, then records the offset: the record never runs ahead of the disk. */
  private void makeDurable() throws IOException {
    awaitFlush();
    if (upload.offset() == durableOffset) {
      return;
    }
    channel.force(false);
    uploads.saveProgress(upload);
    durableOffset = upload.offset();
  }

  private void discard() throws IOException {
    awaitFlush();
    channel.truncate(startOffset);
    upload = upload.withOffset(startOffset);
  }

  private static MessageDigest cloneOf(MessageDigest digest) {
    try {
      return (MessageDigest) digest.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digests are cloneable in every JDK", e);
    }
  }
}
