package dev.parley.server.store;

/** A registration's invite code cannot be used; nothing was stored. */
public final class InviteRefusedException extends Exception {
  /** Why, in the order they are checked. */
  public enum Reason {
    INVALID,
    REVOKED,
    EXPIRED,
    USED_UP
  }

  private final Reason reason;

  public InviteRefusedException(Reason reason) {
    super(reason.name(), null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
