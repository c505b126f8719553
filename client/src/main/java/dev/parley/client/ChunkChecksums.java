package dev.parley.client;

import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SHA-256 of each chunk of an upload, computed on another thread chunk after chunk from where
 * the upload starts. A new upload starts it before the whole file's hash, so the two passes over
 * the file run side by side and the chunks are sent without hashing between them: the server's
 * own two hashes of every byte then have the CPU to themselves. Positional reads, so the channel
 * is shared safely; closing it ends the hashing ahead. Used by one thread.
 */
final class ChunkChecksums {
  private final FileChannel channel;
  private final long chunkSize;
  private final long size;
  /** Checksums hashed or being hashed ahead, by the offset of their chunk; taken once used. */
  private final Map<Long, CompletableFuture<byte[]>> ahead = new ConcurrentHashMap<>();
  private boolean hashingAhead;

  ChunkChecksums(FileChannel channel, long chunkSize, long size) {
    this.channel = channel;
    this.chunkSize = chunkSize;
    this.size = size;
  }

  /** How long the chunk at {@code offset} is. */
  long length(long offset) {
    return Math.min(chunkSize, size - offset);
  }

  /** Starts hashing every chunk from {@code offset} to the end, in order; only the first call does. */
  void hashAheadFrom(long offset) {
    if (hashingAhead) {
      return;
    }
    hashingAhead = true;
    List<Long> offsets = new ArrayList<>();
    List<CompletableFuture<byte[]>> checksums = new ArrayList<>();
    for (long at = offset; at < size; at += length(at)) {
      CompletableFuture<byte[]> checksum = new CompletableFuture<>();
      offsets.add(at);
      checksums.add(checksum);
      ahead.put(at, checksum);
    }
    Thread.ofVirtual().name("parley-chunk-checksums").start(() -> {
      for (int i = 0; i < offsets.size(); i++) {
        long at = offsets.get(i);
        try {
          checksums.get(i).complete(FileDigests.sha256(channel, at, length(at)));
        } catch (RuntimeException e) {
          // The channel closed (the upload ended) or the file cannot be read: whoever waits for a
          // checksum gets the failure, and a retry hashes its chunk itself.
          checksums.subList(i, checksums.size()).forEach(left -> left.completeExceptionally(e));
          offsets.subList(i, offsets.size()).forEach(ahead::remove);
          return;
        }
      }
    });
  }

  /** The checksum of the chunk at {@code offset}: hashed ahead, or else now. */
  byte[] of(long offset) {
    CompletableFuture<byte[]> checksum = ahead.remove(offset);
    if (checksum != null) {
      try {
        return checksum.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException cause ? cause : e;
      }
    }
    return FileDigests.sha256(channel, offset, length(offset));
  }
}
