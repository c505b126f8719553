package dev.parley.app;

/**
 * The login a client command acts as, kept between runs.
 *
 * @param server the normalised base address the token was issued by; the token goes nowhere else
 */
record SavedLogin(String server, String username, String token) {
  /** Leaves the token out, so that printing or logging a login never leaks it. */
  @Override
  public String toString() {
    return "SavedLogin[server=" + server + ", username=" + username + ", token=<redacted>]";
  }
}
