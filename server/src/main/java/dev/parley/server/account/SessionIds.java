package dev.parley.server.account;

import java.util.regex.Pattern;

/**
 * A session's public id: the first 16 hex digits of its token's SHA-256. Showing it reveals
 * nothing that logs in (the token is the hash's pre-image), and 64 bits keep the ids of one user's
 * few sessions apart.
 */
public final class SessionIds {
  private static final int LENGTH = 16;
  private static final Pattern WELL_FORMED = Pattern.compile("[0-9a-f]{" + LENGTH + "}");

  private SessionIds() {}

  public static String of(String tokenHash) {
    return tokenHash.substring(0, LENGTH);
  }

  static boolean isWellFormed(String sessionId) {
    return sessionId != null && WELL_FORMED.matcher(sessionId).matches();
  }
}
