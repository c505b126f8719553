package dev.parley.server.api;

/** What a route asks of a caller before its handler runs; {@link AccessGate} enforces it. */
public enum Access {
  /** Anyone: the handler gets {@link Caller.Anonymous}. */
  NONE,
  /** {@code Authorization: Bearer <token>} with a live token, else 401. */
  TOKEN,
  /** A token as for {@link #TOKEN} whose user has the admin role, else 403 {@code forbidden}. */
  ADMIN,
  /**
   * A token as for {@link #TOKEN} or, without one, {@code ?ticket=} for the file named by the
   * route's {@code {id}} (a download link for browsers). The header wins when both are given.
   */
  TOKEN_OR_TICKET,
  /**
   * A token in the Authorization header or {@code ?token=} is checked when given (a bad one is
   * 401 {@code unknown or expired token}); without one the caller is anonymous. The WebSocket
   * upgrade, whose client may log in later with a frame.
   */
  TOKEN_IF_GIVEN,
  /**
   * {@code Authorization: Bearer <metrics-token>}, the configured secret rather than a user's
   * token, else 401: {@code /metrics} on the public port.
   */
  METRICS_TOKEN
}
