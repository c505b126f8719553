package dev.parley.client;

import dev.parley.protocol.Crc32cDigest;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code Upload-Checksum} of each chunk of an upload, in the algorithm the server takes
 * ({@link #CRC32C} where it can, else {@link #SHA256}). A new upload reads the file once for the
 * whole file's SHA-256 and every chunk's CRC-32C ({@link #fileSha256}), so the chunks are sent
 * without hashing between them. SHA-256 chunks, and a resumed upload's chunks, are hashed ahead on
 * another thread from where the upload starts. Positional reads, so the channel is shared safely;
 * closing it ends the hashing ahead. Used by one thread.
 */
final class ChunkChecksums {
  static final String CRC32C = "crc32c";
  static final String SHA256 = "sha256";

  private final FileChannel channel;
  private final long chunkSize;
  private final long size;
  private final String algorithm;
  /** Checksums hashed or being hashed ahead, by the offset of their chunk; taken once used. */
  private final Map<Long, CompletableFuture<byte[]>> ahead = new ConcurrentHashMap<>();
  private boolean hashingAhead;

  ChunkChecksums(FileChannel channel, long chunkSize, long size, String algorithm) {
    this.channel = channel;
    this.chunkSize = chunkSize;
    this.size = size;
    this.algorithm = algorithm;
  }

  /** The algorithm's name in {@code Upload-Checksum}. */
  String algorithm() {
    return algorithm;
  }

  /** How long the chunk at {@code offset} is. */
  long length(long offset) {
    return Math.min(chunkSize, size - offset);
  }

  /**
   * The whole file's SHA-256. With CRC-32C chunks, every chunk's checksum comes from the same
   * reads; SHA-256 ones are hashed ahead alongside, on another thread.
   */
  byte[] fileSha256() {
    if (!algorithm.equals(CRC32C)) {
      hashAheadFrom(0);
      return FileDigests.sha256(channel, 0, size);
    }
    hashingAhead = true;
    MessageDigest file = FileDigests.sha256();
    for (long at = 0; at < size; at += length(at)) {
      MessageDigest chunk = new Crc32cDigest();
      FileDigests.update(channel, at, length(at), file, chunk);
      ahead.put(at, CompletableFuture.completedFuture(chunk.digest()));
    }
    return file.digest();
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
          checksums.get(i).complete(hash(at));
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
    return hash(offset);
  }

  private byte[] hash(long offset) {
    MessageDigest digest = algorithm.equals(CRC32C) ? new Crc32cDigest() : FileDigests.sha256();
    return FileDigests.update(digest, channel, offset, length(offset)).digest();
  }
}
