package dev.parley.protocol;

/** The {@code reason} values of a {@code bye} frame. */
public final class ByeReason {
  /** The connection's own {@code logout}. */
  public static final String LOGOUT = "logout";
  /** The token this connection used was logged out elsewhere (HTTP logout or another connection). */
  public static final String TOKEN_REVOKED = "token_revoked";
  public static final String SHUTDOWN = "shutdown";
  /** An admin disabled the account; its tokens are gone and login is refused while it stays disabled. */
  public static final String ACCOUNT_DISABLED = "account_disabled";
  /** An admin deleted the account. */
  public static final String ACCOUNT_DELETED = "account_deleted";
  /** The user changed their password, or an admin reset it: every other login of the account ended. */
  public static final String PASSWORD_CHANGED = "password_changed";
  /** The user ended this login from another one (their sessions list, "log out everywhere"). */
  public static final String SESSION_ENDED = "session_ended";
  /** No frame arrived within the idle timeout. */
  public static final String IDLE = "idle";
  /** The client read too slowly and its outbound queue filled; reconnect with {@code since}. */
  public static final String SLOW_CONSUMER = "slow_consumer";
  /** The frame was over the size limit; an {@code error} frame with {@code too_large} precedes it. */
  public static final String TOO_LARGE = "too_large";
  /**
   * The connection did not log in or authenticate within the auth timeout; an {@code error} frame
   * with {@code unauthorized} precedes it.
   */
  public static final String AUTH_TIMEOUT = "auth_timeout";

  /** The client shut down its sending side (TCP half-close); every frame it sent has been answered. */
  public static final String END_OF_INPUT = "end_of_input";

  private ByeReason() {}
}
