package dev.parley.server.account;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.lang.UScript;
import com.ibm.icu.text.SpoofChecker;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Username rules: 2 to 32 characters, NFKC-normalised, of letters in any script (with their
 * combining marks), digits, and {@code _ - .}; no invisible (default-ignorable) characters; one
 * script, or Latin with Han and Kana, Han and Bopomofo, or Han and Hangul (Unicode TR39's highly
 * restrictive level); unique ignoring case and look-alikes (the TR39 skeleton). Thread-safe.
 */
public final class Usernames {
  public static final int MIN_LENGTH = 2;
  public static final int MAX_LENGTH = 32;

  /** Immutable once built, so shared; also the source of skeletons. */
  private static final SpoofChecker SPOOF_CHECKER =
      new SpoofChecker.Builder()
          .setChecks(SpoofChecker.RESTRICTION_LEVEL | SpoofChecker.MIXED_NUMBERS | SpoofChecker.INVISIBLE)
          .setRestrictionLevel(SpoofChecker.RestrictionLevel.HIGHLY_RESTRICTIVE)
          .build();

  private Usernames() {}

  /**
   * The username as it will be stored and shown, or {@code invalid_username}. Does not check the
   * mix of scripts: {@link #requireSafeScripts} does, after the caller had the chance to say that
   * a look-alike is taken.
   */
  public static String normalize(String raw) {
    String name = Normalizer.normalize(raw, Normalizer.Form.NFKC);
    int length = name.codePointCount(0, name.length());
    if (length < MIN_LENGTH || length > MAX_LENGTH) {
      throw invalid("a username has " + MIN_LENGTH + " to " + MAX_LENGTH + " characters");
    }
    int[] codePoints = name.codePoints().toArray();
    for (int i = 0; i < codePoints.length; i++) {
      int cp = codePoints[i];
      if (UCharacter.hasBinaryProperty(cp, UProperty.DEFAULT_IGNORABLE_CODE_POINT)) {
        throw invalid(String.format("a username cannot hold invisible characters (U+%04X)", cp));
      }
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

  /**
   * Refuses a normalized name that mixes scripts in a way that can imitate another name (Latin
   * with Cyrillic or Greek letters, digits of two systems, a combining mark twice in a row).
   */
  public static void requireSafeScripts(String normalized) {
    SpoofChecker.CheckResult result = new SpoofChecker.CheckResult();
    if (!SPOOF_CHECKER.failsChecks(normalized, result)) {
      return;
    }
    if ((result.checks & SpoofChecker.RESTRICTION_LEVEL) != 0) {
      throw invalid("a username cannot mix " + scriptsOf(normalized)
          + " characters; use one script, or Latin with Han, Hiragana, Katakana, Bopomofo or Hangul");
    }
    if ((result.checks & SpoofChecker.MIXED_NUMBERS) != 0) {
      throw invalid("a username cannot mix digits of different scripts");
    }
    throw invalid("a username cannot repeat a combining mark on one letter");
  }

  /** The case-insensitive identity of a normalized username; equal keys are the same user. */
  public static String key(String normalized) {
    String folded = normalized.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    return Normalizer.normalize(folded, Normalizer.Form.NFC);
  }

  /**
   * What a normalized username looks like (the Unicode TR39 skeleton of its {@link #key}): two
   * names with one skeleton could be mistaken for each other, so only one of them may exist.
   */
  public static String skeleton(String normalized) {
    return SPOOF_CHECKER.getSkeleton(key(normalized));
  }

  /** The key of whatever a client typed, for lookups; never throws. */
  public static String lookupKey(String raw) {
    return key(Normalizer.normalize(raw, Normalizer.Form.NFC));
  }

  private static String scriptsOf(String name) {
    Set<String> scripts = new LinkedHashSet<>();
    name.codePoints()
        .map(UScript::getScript)
        .filter(script -> script != UScript.COMMON && script != UScript.INHERITED)
        .forEach(script -> scripts.add(UScript.getName(script)));
    String all = scripts.stream().collect(Collectors.joining(", "));
    int last = all.lastIndexOf(", ");
    return last < 0 ? all : all.substring(0, last) + " and " + all.substring(last + 2);
  }

  private static boolean isCombiningMark(int cp) {
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
  }

  private static ParleyException invalid(String message) {
    return new ParleyException(ErrorCode.INVALID_USERNAME, message);
  }
}
