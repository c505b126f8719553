package dev.parley.server.testing;

/** The two ways to speak the frame protocol; tests run over both. */
public enum Transport {
  TCP,
  WEBSOCKET;

  /** An unauthenticated connection to the server. */
  public FrameClient connect(TestServer server) {
    return switch (this) {
      case TCP -> LineClient.connect(server.tcpPort());
      case WEBSOCKET -> WsClient.connect(server.webSocket());
    };
  }

  /** A connection authenticated with the token (and optional since), its welcome already read. */
  public FrameClient connect(TestServer server, String token, Long since) {
    FrameClient client = connect(server);
    client.auth(token, since);
    return client;
  }
}
