package dev.parley.server.files;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.store.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * File bytes under the data directory, by server-chosen id only: {@code uploads/<id>.part} while
 * an upload runs, {@code files/<id>} once it is complete. Ids are checked before any path is
 * built, so nothing a client sends can name another file. Thread-safe.
 */
public final class BlobStorage {
  private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path uploads;
  private final Path files;
  private final AtomicLong bytesRehashed = new AtomicLong();

  public BlobStorage(Path dataDir) {
    this.uploads = dataDir.resolve("uploads");
    this.files = dataDir.resolve("files");
    try {
      PrivateFiles.directory(uploads);
      PrivateFiles.directory(files);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create file directories under " + dataDir, e);
    }
  }

  /** A new random id: 128 bits, hex. */
  public static String newId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Throws {@code not_found} for anything that is not a well-formed id. */
  public static String requireId(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new ParleyException(ErrorCode.NOT_FOUND, "no such file or upload");
    }
    return id;
  }

  public Path part(String id) {
    return uploads.resolve(requireId(id) + ".part");
  }

  public Path file(String id) {
    return files.resolve(requireId(id));
  }

  /**
   * Opens the upload's bytes for appending at {@code durableOffset}. Anything past it is a tail
   * that was written but never recorded (a crash mid-write), and is cut off.
   */
  public FileChannel openPart(String id, long durableOffset) throws IOException {
    FileChannel channel =
        FileChannel.open(
            part(id),
            Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ),
            PrivateFiles.fileAttributes());
    if (channel.size() > durableOffset) {
      channel.truncate(durableOffset);
    }
    channel.position(durableOffset);
    return channel;
  }

  /** SHA-256 of the first {@code length} bytes of an upload, to resume hashing after a restart. */
  public MessageDigest digestOfPart(String id, long length) throws IOException {
    MessageDigest digest = sha256();
    try (FileChannel channel = FileChannel.open(part(id), StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
      long position = 0;
      while (position < length) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), length - position));
        int read = channel.read(buffer, position);
        if (read < 0) {
          throw new IOException("upload " + id + " is shorter than its recorded offset " + length);
        }
        position += read;
        bytesRehashed.addAndGet(read);
        digest.update(buffer.flip());
      }
    }
    return digest;
  }

  /** Bytes {@link #digestOfPart} has read back so far; resumed uploads normally need none. */
  public long bytesRehashed() {
    return bytesRehashed.get();
  }

  /** Moves a finished upload into place; atomic, and durable once this returns. */
  public void promote(String id) throws IOException {
    Path target = file(id);
    Files.move(part(id), target, StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel directory = FileChannel.open(files, StandardOpenOption.READ)) {
      directory.force(true);
    }
  }

  public boolean isPromoted(String id) {
    return Files.exists(file(id));
  }

  public void deletePart(String id) throws IOException {
    Files.deleteIfExists(part(id));
  }

  public void deleteFile(String id) throws IOException {
    Files.deleteIfExists(file(id));
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
