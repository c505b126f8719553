package dev.parley.client;

/**
 * A successful login: the username as the server stores it (which may differ in case or Unicode
 * form from what was typed) and the bearer token for later requests.
 */
public record LoggedIn(String username, String token) {
  /** Leaves the token out, so that logging a login never leaks it. */
  @Override
  public String toString() {
    return "LoggedIn[username=" + username + ", token=<redacted>]";
  }
}
