package dev.parley.server.cluster;

import dev.parley.protocol.ServerFrame;
import dev.parley.server.session.RevokedSessions;
import dev.parley.server.session.Session;
import dev.parley.server.session.SharedFrame;
import dev.parley.server.session.Sessions;
import java.util.Collection;

/** The sessions connected to this node: all there is for a standalone node. Thread-safe. */
public final class LocalEvents implements ClusterEvents {
  private final Sessions sessions;
  private final RevokedSessions revoked;

  public LocalEvents(Sessions sessions) {
    this.sessions = sessions;
    this.revoked = new RevokedSessions(sessions);
  }

  @Override
  public void toUsers(Collection<Long> userIds, ServerFrame frame, long exceptSessionId) {
    SharedFrame<ServerFrame> shared = new SharedFrame<>(frame);
    for (long userId : userIds) {
      for (Session session : sessions.ofUser(userId)) {
        if (session.id() != exceptSessionId) {
          session.send(shared);
        }
      }
    }
  }

  @Override
  public void toEveryone(ServerFrame frame) {
    SharedFrame<ServerFrame> shared = new SharedFrame<>(frame);
    sessions.forEach(session -> session.send(shared));
  }

  @Override
  public void tokenRevoked(String tokenHash, String byeReason) {
    revoked.tokenRevoked(tokenHash, byeReason);
  }

  @Override
  public void accountClosed(long userId, String byeReason) {
    revoked.accountClosed(userId, byeReason);
  }
}
