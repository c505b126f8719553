package dev.parley.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 of files and parts of files, read through a channel without loading them. */
final class FileDigests {
  private static final int BUFFER = 1 << 20;

  private FileDigests() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Adds {@code length} bytes from {@code position} to the digest; positional reads, so channels may be shared. */
  static MessageDigest update(MessageDigest digest, FileChannel channel, long position, long length) {
    update(channel, position, length, digest);
    return digest;
  }

  /** Adds {@code length} bytes from {@code position} to every digest, reading them once. */
  static void update(FileChannel channel, long position, long length, MessageDigest... digests) {
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(BUFFER, Math.max(length, 1)));
    long done = 0;
    try {
      while (done < length) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), length - done));
        int read = channel.read(buffer, position + done);
        if (read < 0) {
          throw new EOFException("the file ended " + (length - done) + " bytes early; did it change?");
        }
        done += read;
        buffer.flip();
        for (MessageDigest digest : digests) {
          digest.update(buffer.duplicate());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] sha256(FileChannel channel, long position, long length) {
    return update(sha256(), channel, position, length).digest();
  }
}
