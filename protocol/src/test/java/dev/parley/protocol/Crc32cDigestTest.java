package dev.parley.protocol;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The CRC-32C that {@code Upload-Checksum: crc32c} carries, against the standard's check value. */
class Crc32cDigestTest {
  @Test
  void theDigestIsTheCheckValueOfCrc32cMostSignificantByteFirst() {
    // RFC 3720 (iSCSI) and every CRC catalogue: CRC-32C of "123456789" is 0xE3069283.
    Crc32cDigest digest = new Crc32cDigest();
    digest.update("1234".getBytes(US_ASCII));
    ByteBuffer direct = ByteBuffer.allocateDirect(5).put("56789".getBytes(US_ASCII)).flip();
    digest.update(direct);

    assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo("e3069283");
    assertThat(direct.hasRemaining()).as("the direct buffer is consumed like any digest's input").isFalse();
  }

  @Test
  void aDigestStartsAgainAfterItIsTaken() {
    Crc32cDigest digest = new Crc32cDigest();
    digest.update("not this".getBytes(US_ASCII));
    digest.digest();

    assertThat(HexFormat.of().formatHex(digest.digest("123456789".getBytes(US_ASCII)))).isEqualTo("e3069283");
  }
}
