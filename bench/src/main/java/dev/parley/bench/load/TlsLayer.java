package dev.parley.bench.load;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * TLS for one {@link BenchConnection}: the JDK's {@link SSLEngine} between the line buffers and
 * the socket, so that a selector thread can still own many connections. Network bytes come in
 * through {@link #readFrom} and go out from {@link #pending}; plain text is {@link #unwrap}ped into
 * and {@link #wrap}ped from the connection's own buffers. Used by one thread at a time, as the
 * connection is.
 */
final class TlsLayer {
  private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

  private final SSLEngine engine;
  /** Received, not yet unwrapped; read mode between uses. */
  private ByteBuffer netIn;
  /** Wrapped, not yet sent; read mode between uses. */
  private ByteBuffer netOut;
  /** Whether the last unwrap stopped for want of network bytes. */
  private boolean starved = true;

  TlsLayer(SSLContext context, InetSocketAddress server) {
    engine = context.createSSLEngine(server.getHostString(), server.getPort());
    engine.setUseClientMode(true);
    int packet = engine.getSession().getPacketBufferSize();
    netIn = ByteBuffer.allocate(packet).flip();
    netOut = ByteBuffer.allocate(packet).flip();
  }

  /** Handshakes over a channel in blocking mode, reading from {@code in} (which honours the socket's timeout). */
  void handshake(SocketChannel channel, InputStream in) throws IOException {
    engine.beginHandshake();
    ByteBuffer early = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    while (true) {
      switch (engine.getHandshakeStatus()) {
        case NEED_WRAP -> {
          wrap(NOTHING);
          writeAll(channel);
        }
        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
          if (starved || !netIn.hasRemaining()) {
            if (readFrom(in) < 0) {
              throw new EOFException("the server closed the connection during the TLS handshake");
            }
          }
          early = unwrap(early);
        }
        case NEED_TASK -> runTasks();
        default -> {
          if (early.position() > 0) {
            throw new SSLException("the server sent data before the handshake ended");
          }
          return;
        }
      }
    }
  }

  /** Reads what the stream has (blocking); -1 at its end. */
  int readFrom(InputStream in) throws IOException {
    makeRoom();
    int read = in.read(netIn.array(), netIn.arrayOffset() + netIn.position(), netIn.remaining());
    if (read > 0) {
      netIn.position(netIn.position() + read);
    }
    netIn.flip();
    return read;
  }

  /** Reads what the channel has now (non-blocking); -1 at its end. */
  int readFrom(SocketChannel channel) throws IOException {
    makeRoom();
    int read = channel.read(netIn);
    netIn.flip();
    return read;
  }

  /**
   * Decrypts every whole record received into {@code plain} (write mode), which is replaced by a
   * bigger buffer when it is too small; returns the buffer to use from now on.
   */
  ByteBuffer unwrap(ByteBuffer plain) throws SSLException {
    ByteBuffer target = plain;
    while (true) {
      SSLEngineResult result = engine.unwrap(netIn, target);
      switch (result.getStatus()) {
        case BUFFER_OVERFLOW -> target = grow(target.flip(), engine.getSession().getApplicationBufferSize());
        case BUFFER_UNDERFLOW -> {
          starved = true;
          return target;
        }
        case CLOSED -> {
          starved = false;
          return target;
        }
        case OK -> {
          runTasks();
          starved = false;
          if (!netIn.hasRemaining() || (result.bytesConsumed() == 0 && result.bytesProduced() == 0)) {
            return target;
          }
        }
      }
    }
  }

  /** Encrypts all of {@code plain} (read mode) into {@link #pending}. */
  void wrap(ByteBuffer plain) throws SSLException {
    netOut.compact();
    while (true) {
      SSLEngineResult result = engine.wrap(plain, netOut);
      if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
        netOut = grow(netOut.flip(), engine.getSession().getPacketBufferSize());
        continue;
      }
      if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
        throw new SSLException("the TLS session is closed");
      }
      runTasks();
      if (!plain.hasRemaining()) {
        break;
      }
    }
    netOut.flip();
  }

  /** Encrypted bytes not yet sent, in read mode: write them to the socket. */
  ByteBuffer pending() {
    return netOut;
  }

  /** Sends everything wrapped, blocking. */
  void writeAll(SocketChannel channel) throws IOException {
    while (netOut.hasRemaining()) {
      channel.write(netOut);
    }
  }

  private void makeRoom() {
    netIn.compact();
    if (!netIn.hasRemaining()) {
      netIn = grow(netIn.flip(), engine.getSession().getPacketBufferSize());
    }
  }

  private void runTasks() {
    for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
      task.run();
    }
  }

  /** A buffer in write mode holding {@code content} (in read mode) with room for {@code more} bytes. */
  static ByteBuffer grow(ByteBuffer content, int more) {
    ByteBuffer bigger = ByteBuffer.allocate(Math.max(content.capacity() * 2, content.remaining() + more));
    return bigger.put(content);
  }
}
