package dev.parley.server.account;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import java.text.Normalizer;
import java.util.Locale;

/**
 * Username rules: 2 to 32 characters, NFC-normalised, of letters in any script (with their
 * combining marks), digits, and {@code _ - .}; unique ignoring case.
 */
public final class Usernames {
  public static final int MIN_LENGTH = 2;
  public static final int MAX_LENGTH = 32;

  private Usernames() {}

  /** The username as it will be stored and shown, or {@code invalid_username}. */
  public static String normalize(String raw) {
    String name = Normalizer.normalize(raw, Normalizer.Form.NFC);
    int length = name.codePointCount(0, name.length());
    if (length < MIN_LENGTH || length > MAX_LENGTH) {
      throw invalid("a username has " + MIN_LENGTH + " to " + MAX_LENGTH + " characters");
    }
    int[] codePoints = name.codePoints().toArray();
    for (int i = 0; i < codePoints.length; i++) {
      int cp = codePoints[i];
      boolean allowed =
          Character.isLetter(cp)
              || Character.isDigit(cp)
              || cp == '_'
              || cp == '-'
              || cp == '.'
              || (i > 0 && isCombiningMark(cp));
      if (!allowed) {
        throw invalid("a username has only letters, digits, '_', '-' and '.'");
      }
    }
    return name;
  }

  /** The case-insensitive identity of a normalized username; equal keys are the same user. */
  public static String key(String normalized) {
    String folded = normalized.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    return Normalizer.normalize(folded, Normalizer.Form.NFC);
  }

  /** The key of whatever a client typed, for lookups; never throws. */
  public static String lookupKey(String raw) {
    return key(Normalizer.normalize(raw, Normalizer.Form.NFC));
  }

  private static boolean isCombiningMark(int cp) {
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
  }

  private static ParleyException invalid(String message) {
    return new ParleyException(ErrorCode.INVALID_USERNAME, message);
  }
}
