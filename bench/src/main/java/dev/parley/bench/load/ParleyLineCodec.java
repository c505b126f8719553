package dev.parley.bench.load;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.MalformedFrameException;
import dev.parley.protocol.ServerFrame;
import java.util.List;

/**
 * The frames the load generators exchange with a Parley server, through the protocol module's
 * {@link FrameCodec}: a renamed field or frame breaks the bench's build or its tests, not a run.
 * Both transports use it, the selector loop of {@code bench messages} and the Netty connections
 * of {@code bench connections}. Thread-safe.
 */
final class ParleyLineCodec {
  /** {@code since} past any seq: bench connections get live messages only, no replay. */
  static final long NO_REPLAY = Long.MAX_VALUE;

  private static final FrameCodec CODEC = new FrameCodec();

  private ParleyLineCodec() {}

  /** The {@code auth} frame of a connection that wants no replay, without a line end. */
  static String auth(String token) {
    return CODEC.encodeToString(new ClientFrame.Auth(null, token, NO_REPLAY));
  }

  static String send(String id, String to, String text) {
    return CODEC.encodeToString(new ClientFrame.Send(id, to, text));
  }

  static String sendToRoom(String id, String room, String text) {
    return CODEC.encodeToString(ClientFrame.Send.toRoom(id, room, text));
  }

  /** A private room named {@code name} with the creator and {@code members} in it. */
  static String createRoom(String id, String name, List<String> members) {
    return CODEC.encodeToString(new ClientFrame.CreateRoom(id, name, members, false));
  }

  static String register(String username, String password) {
    return CODEC.encodeToString(new ClientFrame.Register(null, username, password));
  }

  static String login(String username, String password) {
    return CODEC.encodeToString(new ClientFrame.Login(null, username, password, NO_REPLAY));
  }

  static String history(String with, int limit) {
    return CODEC.encodeToString(new ClientFrame.History(null, with, null, limit));
  }

  static String ping(String id) {
    return CODEC.encodeToString(new ClientFrame.Ping(id));
  }

  /** One line (or WebSocket text) from the server. */
  static ServerFrame decode(String frame) throws MalformedFrameException {
    return CODEC.decodeServer(frame);
  }
}
