package dev.parley.bench.load;

import dev.parley.protocol.MalformedFrameException;
import dev.parley.protocol.ServerFrame;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * One TCP line connection of the load generator: Parley's line protocol, authenticated by {@link
 * #open}, or any line protocol after {@link #connect}. It starts blocking, for the handshake
 * ({@link #readLine}, {@link #write}, {@link #flush} on one thread), then is handed to a {@link
 * LineLoop} by {@link #attach}; from then on it is used on that loop's thread only. {@link #close}
 * may come from any thread.
 */
final class BenchConnection implements AutoCloseable {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final int INITIAL_BUFFER_BYTES = 16 * 1024;

  private final SocketChannel channel;
  private final InputStream handshakeIn;
  /** Null in plain text. */
  private final TlsLayer tls;
  /** Bytes read but not yet split into lines; in read mode between uses. */
  private ByteBuffer inbound = ByteBuffer.allocate(INITIAL_BUFFER_BYTES).flip();
  /** Bytes written but not yet sent; in write mode between uses. */
  private ByteBuffer outbound = ByteBuffer.allocate(INITIAL_BUFFER_BYTES);
  private LineLoop loop;
  private SelectionKey key;
  private Consumer<String> onLine;
  private Consumer<Boolean> onClosed;
  private boolean flushPending;
  private boolean ended;
  private volatile boolean closing;

  private BenchConnection(SocketChannel channel, TlsLayer tls) throws IOException {
    this.channel = channel;
    // The socket adaptor's stream honours SO_TIMEOUT, so a handshake reply that never comes ends it.
    this.handshakeIn = channel.socket().getInputStream();
    this.tls = tls;
    if (tls != null) {
      tls.handshake(channel, handshakeIn);
    }
  }

  /**
   * Connects and authenticates with {@code token}; returns once the welcome has arrived.
   *
   * @param tls the TLS context when the server's TCP port speaks TLS, else null
   */
  static BenchConnection open(InetSocketAddress server, SSLContext tls, BenchUser user) {
    BenchConnection connection = connect(server, tls);
    try {
      connection.write(ParleyLineCodec.auth(user.token()) + "\n");
      connection.flush();
      String reply = connection.readLine();
      if (reply == null || !(ParleyLineCodec.decode(reply) instanceof ServerFrame.Welcome)) {
        connection.close();
        throw new IllegalStateException("auth as " + user.username() + " refused: " + reply);
      }
      return connection;
    } catch (MalformedFrameException e) {
      connection.close();
      throw new IllegalStateException("auth as " + user.username() + " answered with no frame: " + e.getMessage());
    } catch (IOException e) {
      connection.close();
      throw new UncheckedIOException("cannot authenticate to " + server + " as " + user.username(), e);
    }
  }

  /** A connection on which nothing has been sent yet, for any line protocol; over TLS unless {@code tls} is null. */
  static BenchConnection connect(InetSocketAddress server, SSLContext tls) {
    SocketChannel channel = null;
    try {
      channel = SocketChannel.open();
      // Nagle would hold back each small frame waiting for the previous one's ACK.
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      channel.socket().connect(server, (int) CONNECT_TIMEOUT.toMillis());
      channel.socket().setSoTimeout((int) CONNECT_TIMEOUT.toMillis());
      return new BenchConnection(channel, tls == null ? null : new TlsLayer(tls, server));
    } catch (IOException e) {
      if (channel != null) {
        closeQuietly(channel);
      }
      throw new UncheckedIOException("cannot connect to " + server, e);
    }
  }

  /** During the handshake: one line without its line end, or null at the end of the stream. */
  String readLine() throws IOException {
    String line;
    while ((line = nextLine()) == null) {
      inbound.compact();
      ensureRoom();
      int read;
      if (tls != null) {
        read = tls.readFrom(handshakeIn);
        inbound = tls.unwrap(inbound);
      } else {
        read = handshakeIn.read(inbound.array(), inbound.arrayOffset() + inbound.position(), inbound.remaining());
        inbound.position(inbound.position() + Math.max(read, 0));
      }
      inbound.flip();
      if (read < 0) {
        return null;
      }
    }
    return line;
  }

  /** Buffers a line; during the handshake it leaves at {@link #flush}, once attached after the loop's batch. */
  void write(String line) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    if (outbound.remaining() < bytes.length) {
      outbound = grow(outbound.flip(), bytes.length);
    }
    outbound.put(bytes);
    if (loop != null && !flushPending) {
      flushPending = true;
      loop.flushLater(this);
    }
  }

  /** During the handshake: sends everything buffered, blocking. */
  void flush() throws IOException {
    outbound.flip();
    if (tls != null) {
      tls.wrap(outbound);
      tls.writeAll(channel);
    }
    while (outbound.hasRemaining()) {
      channel.write(outbound);
    }
    outbound.clear();
  }

  /**
   * On {@code loop}'s thread: turns the connection non-blocking and hands every line, including
   * any the handshake read ahead, to {@code onLine} until it ends; {@code onClosed} learns whether
   * the server ended it (rather than {@link #close}).
   */
  void attach(LineLoop loop, Consumer<String> onLine, Consumer<Boolean> onClosed) {
    this.loop = loop;
    this.onLine = onLine;
    this.onClosed = onClosed;
    try {
      channel.configureBlocking(false);
      key = channel.register(loop.selector(), SelectionKey.OP_READ, this);
    } catch (IOException e) {
      end();
      return;
    }
    deliverLines();
  }

  void onReadable() {
    try {
      inbound.compact();
      ensureRoom();
      int read;
      if (tls != null) {
        read = tls.readFrom(channel);
        inbound = tls.unwrap(inbound);
      } else {
        read = channel.read(inbound);
      }
      inbound.flip();
      if (read < 0) {
        end();
        return;
      }
    } catch (IOException e) {
      end();
      return;
    }
    deliverLines();
  }

  void onWritable() {
    flushAttached();
  }

  /** Sends what the socket takes now; the rest waits for the socket to become writable. */
  void flushAttached() {
    flushPending = false;
    if (!key.isValid()) {
      return;
    }
    try {
      outbound.flip();
      boolean left;
      if (tls != null) {
        tls.wrap(outbound);
        channel.write(tls.pending());
        left = tls.pending().hasRemaining();
      } else {
        channel.write(outbound);
        left = outbound.hasRemaining();
      }
      outbound.compact();
      key.interestOps(left ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    } catch (IOException e) {
      end();
    }
  }

  @Override
  public void close() {
    closing = true;
    closeQuietly(channel);
  }

  private void deliverLines() {
    String line;
    while (key.isValid() && (line = nextLine()) != null) {
      onLine.accept(line);
    }
  }

  /** The next whole line in {@link #inbound}, without CR LF, or null if none is complete yet. */
  private String nextLine() {
    byte[] bytes = inbound.array();
    int start = inbound.arrayOffset() + inbound.position();
    int end = inbound.arrayOffset() + inbound.limit();
    for (int i = start; i < end; i++) {
      if (bytes[i] == '\n') {
        int length = i - start;
        if (length > 0 && bytes[i - 1] == '\r') {
          length--;
        }
        inbound.position(inbound.position() + i - start + 1);
        return new String(bytes, start, length, StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /** With {@link #inbound} in write mode: makes room for one more read, growing for long lines. */
  private void ensureRoom() {
    if (!inbound.hasRemaining()) {
      inbound = grow(inbound.flip(), inbound.capacity());
    }
  }

  private void end() {
    if (ended) {
      return;
    }
    ended = true;
    if (key != null) {
      key.cancel();
    }
    closeQuietly(channel);
    if (onClosed != null) {
      onClosed.accept(!closing);
    }
  }

  /** A buffer in write mode holding {@code content} (in read mode) with room for {@code more} bytes. */
  private static ByteBuffer grow(ByteBuffer content, int more) {
    ByteBuffer bigger = ByteBuffer.allocate(Math.max(content.capacity() * 2, content.remaining() + more));
    return bigger.put(content);
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing left to do with a socket that will not close.
    }
  }
}
