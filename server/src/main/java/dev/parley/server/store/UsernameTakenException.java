package dev.parley.server.store;

/** Another user already holds this username, ignoring case, or one that looks like it. */
public final class UsernameTakenException extends Exception {
  public UsernameTakenException(String username) {
    super("username '" + username + "' is taken", null, false, false);
  }
}
