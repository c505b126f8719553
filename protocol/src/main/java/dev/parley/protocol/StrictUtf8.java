package dev.parley.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.io.InputDecorator;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * Refuses byte input that is not valid UTF-8 before Jackson parses it. Jackson's UTF-8 parser lets
 * through overlong forms ({@code C0 BC} for {@code <}), encoded surrogates and code points past
 * U+10FFFF; the JDK's decoder, used here, refuses all of them. Applies to JSON read from byte
 * arrays (frames, HTTP bodies); streams and readers pass unchanged. Thread-safe.
 */
final class StrictUtf8 extends InputDecorator {
  private static final long serialVersionUID = 1L;

  @Override
  public InputStream decorate(IOContext context, byte[] bytes, int offset, int length) throws InvalidUtf8Exception {
    int invalid = firstInvalidByte(bytes, offset, length);
    if (invalid >= 0) {
      throw new InvalidUtf8Exception(invalid);
    }
    return null;
  }

  @Override
  public InputStream decorate(IOContext context, InputStream in) {
    return in;
  }

  @Override
  public Reader decorate(IOContext context, Reader reader) {
    return reader;
  }

  /** The offset, counted from {@code offset}, of the first byte that is not valid UTF-8; -1 when all are. */
  static int firstInvalidByte(byte[] bytes, int offset, int length) {
    int end = offset + length;
    int i = offset;
    while (i < end && bytes[i] >= 0) {
      i++;
    }
    if (i == end) {
      return -1;
    }
    CharsetDecoder decoder =
        UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, i, end - i);
    CoderResult result = decoder.decode(in, CharBuffer.allocate(end - i), true);
    return result.isError() ? in.position() - offset : -1;
  }
}
