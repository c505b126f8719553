package dev.parley.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.function.LongConsumer;

/**
 * A request body of {@code length} bytes of a file from {@code position}, streamed from the file
 * (never held in memory) with a Content-Length. The channel is read with positional reads and not
 * closed here: its owner closes it once the request is over.
 */
final class FileRegionBody {
  /** The progress callback threw: the body ends with this, the request fails, the socket is dropped. */
  static final class Stopped extends IOException {
    Stopped(RuntimeException cause) {
      super("stopped by the progress listener", cause);
    }
  }

  private FileRegionBody() {}

  /** {@code sent} hears the bytes handed to the HTTP client so far, on the client's thread. */
  static HttpRequest.BodyPublisher of(FileChannel channel, long position, long length, LongConsumer sent) {
    return HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(() -> new Region(channel, position, length, sent)), length);
  }

  private static final class Region extends InputStream {
    private final FileChannel channel;
    private final long end;
    private final long start;
    private final LongConsumer sent;
    private long position;

    Region(FileChannel channel, long position, long length, LongConsumer sent) {
      this.channel = channel;
      this.start = position;
      this.position = position;
      this.end = position + length;
      this.sent = sent;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      if (position >= end) {
        return -1;
      }
      int wanted = (int) Math.min(length, end - position);
      int read = channel.read(ByteBuffer.wrap(bytes, offset, wanted), position);
      if (read < 0) {
        throw new IOException("the file ended at " + position + " bytes, before " + end + "; did it change?");
      }
      position += read;
      try {
        sent.accept(position - start);
      } catch (RuntimeException e) {
        throw new Stopped(e);
      }
      return read;
    }
  }
}
