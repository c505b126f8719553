package dev.parley.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A raw client of the TCP line protocol. */
public final class LineClient extends FrameClient {
  private final Socket socket;
  private final OutputStream out;

  private LineClient(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    Thread.ofPlatform().daemon().name("line-client-reader").start(this::readLoop);
  }

  public static LineClient connect(int port) {
    return connect(port, null);
  }

  /**
   * From a given local address, e.g. 127.0.0.2 (any of 127/8 works on Linux), so that the server
   * sees another client address; null for the default.
   */
  public static LineClient connect(int port, InetAddress localAddress) {
    try {
      Socket socket = new Socket("127.0.0.1", port, localAddress, 0);
      socket.setTcpNoDelay(true);
      return new LineClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Over a socket already connected, e.g. a TLS socket to a server on {@code tls}. */
  public static LineClient over(Socket socket) {
    try {
      socket.setTcpNoDelay(true);
      return new LineClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void sendText(String text) {
    sendRaw((text + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Sends bytes exactly as given, e.g. half a line or invalid UTF-8. */
  public void sendRaw(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String transport() {
    return "tcp";
  }

  private void readLoop() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        onText(line);
      }
    } catch (IOException e) {
      // The socket was reset or closed: the same as an orderly close for the test.
    } finally {
      onClosed();
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
