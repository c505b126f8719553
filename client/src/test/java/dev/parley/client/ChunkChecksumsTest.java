package dev.parley.client;

import static dev.parley.client.TransferFixture.randomBytes;
import static dev.parley.client.TransferFixture.sha256;
import static dev.parley.client.TransferFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The chunk checksums an upload sends, hashed ahead from a real file. */
class ChunkChecksumsTest {
  private static final int CHUNK = 1 << 20;

  @TempDir Path temp;

  @Test
  void everyChunkFromTheStartOffsetGetsTheSha256OfItsOwnBytes() throws IOException {
    byte[] bytes = randomBytes(3 * CHUNK + 17, 3);
    try (FileChannel channel = FileChannel.open(write(temp.resolve("f.bin"), bytes))) {
      ChunkChecksums checksums = new ChunkChecksums(channel, CHUNK, bytes.length, ChunkChecksums.SHA256);
      checksums.hashAheadFrom(CHUNK);

      for (int offset = CHUNK; offset < bytes.length; offset += CHUNK) {
        byte[] chunk = Arrays.copyOfRange(bytes, offset, Math.min(offset + CHUNK, bytes.length));
        assertThat(HexFormat.of().formatHex(checksums.of(offset))).as("chunk at %d", offset).isEqualTo(sha256(chunk));
      }
      assertThat(HexFormat.of().formatHex(checksums.of(0)))
          .as("a chunk before the start, as after a resume from elsewhere, is hashed when asked for")
          .isEqualTo(sha256(Arrays.copyOf(bytes, CHUNK)));
    }
  }

  @Test
  void oneReadOfTheFileGivesItsSha256AndTheCrc32cOfEveryChunk() throws IOException {
    byte[] bytes = randomBytes(2 * CHUNK + 5, 5);
    try (FileChannel channel = FileChannel.open(write(temp.resolve("f.bin"), bytes))) {
      ChunkChecksums checksums = new ChunkChecksums(channel, CHUNK, bytes.length, ChunkChecksums.CRC32C);

      assertThat(HexFormat.of().formatHex(checksums.fileSha256())).isEqualTo(sha256(bytes));
      for (int offset = 0; offset < bytes.length; offset += CHUNK) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, Math.min(CHUNK, bytes.length - offset));
        assertThat(checksums.of(offset)).as("chunk at %d", offset).isEqualTo(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
      }
    }
  }

  @Test
  @Timeout(30)
  void aChecksumAskedForAfterTheFileClosedFailsInsteadOfWaiting() throws IOException {
    byte[] bytes = randomBytes(2 * CHUNK, 4);
    FileChannel channel = FileChannel.open(write(temp.resolve("f.bin"), bytes));
    ChunkChecksums checksums = new ChunkChecksums(channel, CHUNK, bytes.length, ChunkChecksums.SHA256);
    channel.close();

    checksums.hashAheadFrom(0);

    assertThatThrownBy(() -> checksums.of(CHUNK))
        .isInstanceOf(UncheckedIOException.class)
        .hasCauseInstanceOf(ClosedChannelException.class);
  }
}
