package dev.parley.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits the server's side of a WebSocket (unmasked frames, RFC 6455 §5.2) fed in chunks, and
 * counts what it finds: a text message goes to {@code onText} (a Parley frame), a pong counts as
 * {@code ws pong}, a close as {@code ws close}. The attacks only ever get small frames, kept whole
 * until complete.
 */
final class WebSocketFrameCounter {
  private static final int OPCODE_TEXT = 0x1;
  private static final int OPCODE_CLOSE = 0x8;
  private static final int OPCODE_PONG = 0xA;

  private final Consumer<String> onText;
  private final AttackTally tally;
  private byte[] pending = new byte[16 * 1024];
  private int size;

  WebSocketFrameCounter(Consumer<String> onText, AttackTally tally) {
    this.onText = onText;
    this.tally = tally;
  }

  void feed(byte[] buffer, int length) {
    if (size + length > pending.length) {
      pending = Arrays.copyOf(pending, Math.max(pending.length * 2, size + length));
    }
    System.arraycopy(buffer, 0, pending, size, length);
    size += length;
    int start = 0;
    int frameLength;
    while ((frameLength = completeFrame(start)) > 0) {
      start += frameLength;
    }
    System.arraycopy(pending, start, pending, 0, size - start);
    size -= start;
  }

  /** Handles the frame at {@code start} and returns its length, or 0 when it is not all here yet. */
  private int completeFrame(int start) {
    int available = size - start;
    if (available < 2) {
      return 0;
    }
    int opcode = pending[start] & 0x0F;
    int lengthByte = pending[start + 1] & 0x7F;
    int header = lengthByte == 126 ? 4 : lengthByte == 127 ? 10 : 2;
    if (available < header) {
      return 0;
    }
    long payload = lengthByte;
    if (lengthByte >= 126) {
      payload = 0;
      for (int i = 2; i < header; i++) {
        payload = (payload << 8) | (pending[start + i] & 0xFF);
      }
    }
    if (available < header + payload) {
      return 0;
    }
    switch (opcode) {
      case OPCODE_TEXT -> onText.accept(new String(pending, start + header, (int) payload, StandardCharsets.UTF_8));
      case OPCODE_PONG -> tally.count("ws pong");
      case OPCODE_CLOSE -> tally.count("ws close");
      default -> tally.count("ws opcode " + opcode);
    }
    return header + (int) payload;
  }
}
