package dev.parley.server.files;

import dev.parley.protocol.Crc32cDigest;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The tus checksum extension's {@code Upload-Checksum: <algorithm> <base64 digest>} of one request
 * body. {@code crc32c} is for clients that declare the whole file's {@code sha256} at creation:
 * that hash is what proves the file end to end, the chunk's checksum only has to catch a body
 * damaged on its way, and CRC-32C does that at a small fraction of a second SHA-256's cost.
 */
public record ChunkChecksum(String algorithm, byte[] expected) {
  /** The algorithms announced in {@code Tus-Checksum-Algorithm}. */
  public static final List<String> ALGORITHMS = List.of("sha1", "sha256", "crc32c");

  /** Null when the header is absent; {@code bad_request} for an unknown algorithm or a malformed value. */
  public static ChunkChecksum parse(String header) {
    if (header == null) {
      return null;
    }
    String[] parts = header.strip().split(" ");
    if (parts.length != 2) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "Upload-Checksum must be '<algorithm> <base64 digest>'");
    }
    String algorithm = parts[0].toLowerCase(Locale.ROOT);
    if (!ALGORITHMS.contains(algorithm)) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "unsupported checksum algorithm '" + parts[0] + "'");
    }
    try {
      return new ChunkChecksum(algorithm, Base64.getDecoder().decode(parts[1]));
    } catch (IllegalArgumentException e) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "Upload-Checksum digest is not base64");
    }
  }

  public MessageDigest newDigest() {
    if (algorithm.equals("crc32c")) {
      return new Crc32cDigest();
    }
    try {
      return MessageDigest.getInstance(algorithm.equals("sha1") ? "SHA-1" : "SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has " + algorithm, e);
    }
  }

  /** Whether it costs a small fraction of the whole file's SHA-256: then it is not worth a thread of its own. */
  public boolean cheap() {
    return algorithm.equals("crc32c");
  }

  public boolean matches(MessageDigest digest) {
    return MessageDigest.isEqual(expected, digest.digest());
  }
}
