package dev.parley.bench.load;

import dev.parley.protocol.MalformedFrameException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

/**
 * One attacker's TCP connection, from a chosen loopback source address (so that per-address
 * limits see it apart from the normal user on 127.0.0.1), with blocking I/O: a write blocks while
 * the server is not reading, so floods run on a thread of their own ({@link #floodInBackground})
 * and end when the connection does. What the server answers is counted into an {@link
 * AttackTally}; the server ending the connection counts once as {@code closed by server}.
 */
final class AttackSocket implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  /** How long one read waits before the caller's deadline is checked again. */
  private static final int READ_POLL_MILLIS = 100;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final AttackTally tally;
  private final AtomicBoolean ended = new AtomicBoolean();
  /** The start of a line a {@link #readFrames} call read but did not finish; the next one continues it. */
  private final ByteArrayOutputStream partialLine = new ByteArrayOutputStream();
  private volatile boolean closing;

  private AttackSocket(Socket socket, AttackTally tally) throws IOException {
    this.socket = socket;
    // Buffered: handshakes read byte by byte.
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
    this.tally = tally;
  }

  /** A connection from {@code from} to {@code server}, or null (counted as {@code connect refused}) when the server refuses it. */
  static AttackSocket connect(InetSocketAddress server, InetAddress from, AttackTally tally) {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(server, CONNECT_TIMEOUT_MILLIS);
      socket.setSoTimeout(READ_POLL_MILLIS);
      return new AttackSocket(socket, tally);
    } catch (IOException e) {
      tally.count("connect refused");
      closeQuietly(socket);
      return null;
    }
  }

  /** Sends {@code bytes}, counted as {@code requests} requests; false once the connection is gone. */
  boolean write(byte[] bytes, int requests) {
    try {
      out.write(bytes);
      out.flush();
      tally.sent(requests, bytes.length);
      return true;
    } catch (IOException e) {
      ended();
      return false;
    }
  }

  boolean writeLine(String line) {
    return write((line + "\n").getBytes(StandardCharsets.UTF_8), 1);
  }

  /**
   * Writes {@code next.apply(i)} (holding {@code requestsPerWrite} requests) for i = 0, 1, … on a
   * virtual thread, pausing {@code pauseMillis} after each, until {@code deadlineNanos}, {@code
   * maxWrites} or the connection's end.
   */
  Thread floodInBackground(IntFunction<byte[]> next, int requestsPerWrite, int pauseMillis, long deadlineNanos, int maxWrites) {
    return Thread.ofVirtual()
        .start(
            () -> {
              for (int i = 0; i < maxWrites && System.nanoTime() < deadlineNanos && !closing; i++) {
                if (!write(next.apply(i), requestsPerWrite)) {
                  return;
                }
                if (pauseMillis > 0) {
                  try {
                    Thread.sleep(pauseMillis);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              }
            });
  }

  /**
   * Reads Parley lines until {@code deadlineNanos}, the end of the connection or {@code maxBytes},
   * counting each frame by its kind. Returns whether the connection is still open.
   */
  boolean readFrames(long deadlineNanos, long maxBytes) {
    ByteArrayOutputStream line = partialLine;
    return read(
        deadlineNanos,
        maxBytes,
        (buffer, length) -> {
          int start = 0;
          for (int i = 0; i < length; i++) {
            if (buffer[i] == '\n') {
              line.write(buffer, start, i - start);
              countLine(line.toString(StandardCharsets.UTF_8));
              line.reset();
              start = i + 1;
            }
          }
          line.write(buffer, start, length - start);
        });
  }

  /**
   * Reads HTTP responses until {@code deadlineNanos}, the end of the connection or {@code
   * maxBytes}, counting each status line as {@code http <status>}: the bodies the attacks fetch
   * never contain one. Returns whether the connection is still open.
   */
  boolean readHttp(long deadlineNanos, long maxBytes) {
    HttpStatusScanner scanner = new HttpStatusScanner(tally);
    return read(deadlineNanos, maxBytes, scanner::scan);
  }

  /** Reads WebSocket frames from the server, counting them (see {@link WebSocketFrameCounter}). */
  boolean readWebSocket(long deadlineNanos, long maxBytes) {
    WebSocketFrameCounter counter = new WebSocketFrameCounter(this::countLine, tally);
    return read(deadlineNanos, maxBytes, counter::feed);
  }

  /** Reads one line during a handshake, or null when none came by {@code deadlineNanos} or the connection ended. */
  String readLine(long deadlineNanos) {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (System.nanoTime() < deadlineNanos) {
      int b;
      try {
        b = in.read();
      } catch (SocketTimeoutException e) {
        continue;
      } catch (IOException e) {
        ended();
        return null;
      }
      if (b < 0) {
        ended();
        return null;
      }
      if (b == '\n') {
        return line.toString(StandardCharsets.UTF_8);
      }
      line.write(b);
    }
    return null;
  }

  boolean isEnded() {
    return ended.get();
  }

  @Override
  public void close() {
    closing = true;
    closeQuietly(socket);
  }

  private interface Chunks {
    void accept(byte[] buffer, int length);
  }

  private boolean read(long deadlineNanos, long maxBytes, Chunks chunks) {
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    while (System.nanoTime() < deadlineNanos && total < maxBytes && !ended.get()) {
      int read;
      try {
        read = in.read(buffer, 0, (int) Math.min(buffer.length, maxBytes - total));
      } catch (SocketTimeoutException e) {
        continue;
      } catch (IOException e) {
        ended();
        break;
      }
      if (read < 0) {
        ended();
        break;
      }
      total += read;
      chunks.accept(buffer, read);
    }
    return !ended.get();
  }

  private void countLine(String line) {
    try {
      tally.count(ParleyLineCodec.decode(line));
    } catch (MalformedFrameException e) {
      tally.count("unreadable frame: " + line.substring(0, Math.min(60, line.length())));
    }
  }

  private void ended() {
    if (!closing && ended.compareAndSet(false, true)) {
      tally.count("closed by server");
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing left to do with a socket that will not close.
    }
  }
}
