package dev.parley.protocol;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.zip.CRC32C;

/**
 * CRC-32C as a {@link MessageDigest}, for tus's {@code Upload-Checksum: crc32c} (docs/PROTOCOL.md
 * §7.11): the client computes it and the server checks it the same way as a SHA one. The digest is the checksum's four bytes, most significant first (as
 * Google Cloud Storage's {@code crc32c} hashes are). Direct buffers are read in place. Not
 * thread-safe, as no digest is.
 */
public final class Crc32cDigest extends MessageDigest {
  private final CRC32C crc = new CRC32C();

  public Crc32cDigest() {
    super("CRC32C");
  }

  @Override
  protected void engineUpdate(byte input) {
    crc.update(input);
  }

  @Override
  protected void engineUpdate(byte[] input, int offset, int length) {
    crc.update(input, offset, length);
  }

  @Override
  protected void engineUpdate(ByteBuffer input) {
    crc.update(input);
  }

  @Override
  protected byte[] engineDigest() {
    int value = (int) crc.getValue();
    crc.reset();
    return ByteBuffer.allocate(Integer.BYTES).putInt(value).array();
  }

  @Override
  protected void engineReset() {
    crc.reset();
  }
}
