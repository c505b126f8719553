package dev.parley.server.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** A WebSocket client of the frame protocol, on the JDK's own WebSocket. */
public final class WsClient extends FrameClient {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final WebSocket socket;

  private WsClient(URI uri, Map<String, String> headers) {
    WebSocket.Builder builder = HTTP.newWebSocketBuilder();
    headers.forEach(builder::header);
    try {
      this.socket = builder.buildAsync(uri, new Listener()).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new CompletionException("WebSocket connect to " + uri + " failed", e);
    }
  }

  public static WsClient connect(URI uri) {
    return new WsClient(uri, Map.of());
  }

  public static WsClient connect(URI uri, Map<String, String> headers) {
    return new WsClient(uri, headers);
  }

  @Override
  public synchronized void sendText(String text) {
    socket.sendText(text, true).join();
  }

  public synchronized void sendBinary(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
  }

  @Override
  public String transport() {
    return "websocket";
  }

  @Override
  public void close() {
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        WsClient.this.onText(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      onClosed();
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      onClosed();
    }
  }
}
