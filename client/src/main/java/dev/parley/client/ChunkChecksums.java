package dev.parley.client;

import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The SHA-256 of each chunk of an upload, the next chunk's computed on another thread while the
 * current one is on its way: hashing then costs no time between chunks, where hashing each chunk
 * just before sending it kept the link idle for it. Positional reads, so the channel is shared
 * safely. Used by one thread.
 */
final class ChunkChecksums {
  private final FileChannel channel;
  private final long chunkSize;
  private final long size;
  private long aheadOffset = -1;
  private CompletableFuture<byte[]> ahead;

  ChunkChecksums(FileChannel channel, long chunkSize, long size) {
    this.channel = channel;
    this.chunkSize = chunkSize;
    this.size = size;
  }

  /** How long the chunk at {@code offset} is. */
  long length(long offset) {
    return Math.min(chunkSize, size - offset);
  }

  /** The checksum of the chunk at {@code offset}; starts hashing the one after it. */
  byte[] of(long offset) {
    byte[] checksum = ahead != null && aheadOffset == offset ? join(ahead) : FileDigests.sha256(channel, offset, length(offset));
    long next = offset + length(offset);
    if (next < size) {
      aheadOffset = next;
      ahead = CompletableFuture.supplyAsync(() -> FileDigests.sha256(channel, next, length(next)), task -> Thread.ofVirtual().start(task));
    } else {
      ahead = null;
    }
    return checksum;
  }

  private static byte[] join(CompletableFuture<byte[]> checksum) {
    try {
      return checksum.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }
}
