package dev.parley.client;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A WebSocket server that misbehaves on purpose: it accepts one upgrade, then writes exactly the
 * frames a test scripts, such as a text message split into fragments mid-character. Only what
 * the tests need of RFC 6455: server frames unmasked, payloads under 64 KiB.
 */
final class ScriptedWebSocketServer implements AutoCloseable {
  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  static final int TEXT = 0x1;
  static final int CONTINUATION = 0x0;
  static final int CLOSE = 0x8;

  /** The server side of the one accepted connection. */
  static final class Peer {
    private final OutputStream out;
    private final Map<String, String> requestHeaders;

    private Peer(OutputStream out, Map<String, String> requestHeaders) {
      this.out = out;
      this.requestHeaders = requestHeaders;
    }

    /** A header of the upgrade request, by lower-case name. */
    String requestHeader(String name) {
      return requestHeaders.get(name);
    }

    void frame(boolean fin, int opcode, byte[] payload) {
      try {
        out.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
          out.write(payload.length);
        } else {
          out.write(126);
          out.write(payload.length >>> 8);
          out.write(payload.length & 0xff);
        }
        out.write(payload);
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void text(String json) {
      frame(true, TEXT, json.getBytes(UTF_8));
    }
  }

  @FunctionalInterface
  interface Script {
    void run(Peer peer) throws Exception;
  }

  private final ServerSocket listener;
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  ScriptedWebSocketServer(Script script) throws IOException {
    listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().name("scripted-ws").start(() -> serve(script));
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  /** Completes when the script has run; fails with what the script threw. */
  CompletableFuture<Void> done() {
    return done;
  }

  private void serve(Script script) {
    try (Socket socket = listener.accept()) {
      Map<String, String> headers = readRequestHeaders(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      out.write(("HTTP/1.1 101 Switching Protocols\r\n"
              + "Upgrade: websocket\r\n"
              + "Connection: Upgrade\r\n"
              + "Sec-WebSocket-Accept: " + accept(headers.get("sec-websocket-key")) + "\r\n\r\n")
          .getBytes(ISO_8859_1));
      out.flush();
      script.run(new Peer(out, headers));
      done.complete(null);
    } catch (Exception e) {
      done.completeExceptionally(e);
    }
  }

  private static Map<String, String> readRequestHeaders(InputStream in) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b != '\n') {
        line.write(b);
        continue;
      }
      String text = line.toString(ISO_8859_1).strip();
      line.reset();
      if (text.isEmpty()) {
        return headers;
      }
      int colon = text.indexOf(':');
      if (colon > 0) {
        headers.put(text.substring(0, colon).strip().toLowerCase(Locale.ROOT), text.substring(colon + 1).strip());
      }
    }
    throw new IOException("request ended before its headers did");
  }

  private static String accept(String key) throws NoSuchAlgorithmException {
    byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(ISO_8859_1));
    return Base64.getEncoder().encodeToString(digest);
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
