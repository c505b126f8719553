package dev.parley.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What makes two uploads "the same upload" for resuming: the same file, unchanged (path, size and
 * modification time), to the same recipient on the same server. Any change starts a new upload;
 * the server's whole-file SHA-256 check catches what the modification time misses.
 *
 * @param server the server's normalised base address ({@link ParleyClient#base()})
 * @param recipient the recipient's username, or {@code #} and the id for a room
 * @param path the file's real path (symbolic links resolved)
 */
public record FileFingerprint(URI server, String recipient, Path path, long size, long modifiedMillis) {
  /** Reads the file's size and modification time now. */
  public static FileFingerprint of(URI server, String recipient, Path file) {
    try {
      Path real = file.toRealPath();
      BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        throw new IllegalArgumentException(file + " is not a regular file");
      }
      return new FileFingerprint(
          ApiAddresses.normalize(server), recipient, real, attributes.size(), attributes.lastModifiedTime().toMillis());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The key under which an {@link UploadUrlStore} keeps this file's upload. */
  public String key() {
    return server + " " + recipient + " " + size + " " + modifiedMillis + " " + path;
  }
}
