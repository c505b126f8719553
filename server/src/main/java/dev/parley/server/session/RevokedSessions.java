package dev.parley.server.session;

import dev.parley.protocol.ServerFrame;
import dev.parley.server.account.AccountService;

/**
 * Ends the live connections of logins that stopped being valid: each leaves the registry at once
 * (so it gets nothing more) and is closed with a {@code bye} saying why. Thread-safe.
 */
public final class RevokedSessions implements AccountService.RevocationListener {
  private final Sessions sessions;

  public RevokedSessions(Sessions sessions) {
    this.sessions = sessions;
  }

  @Override
  public void tokenRevoked(String tokenHash, String byeReason) {
    sessions.ofToken(tokenHash).forEach(session -> end(session, byeReason));
  }

  @Override
  public void accountClosed(long userId, String byeReason) {
    sessions.ofUser(userId).forEach(session -> end(session, byeReason));
  }

  private void end(Session session, String byeReason) {
    sessions.remove(session);
    session.close(new ServerFrame.Bye(null, byeReason));
  }
}
