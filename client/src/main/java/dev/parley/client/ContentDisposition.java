package dev.parley.client;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The file name in a {@code Content-Disposition} reply header, made safe to create in a local
 * directory: whatever the server sends, the result is one plain path segment, never {@code ..},
 * a path, or a name with control or bidi-override characters in it.
 */
final class ContentDisposition {
  /** RFC 8187 {@code filename*=UTF-8''percent-encoded}; the only charset RFC 6266 requires. */
  private static final Pattern EXTENDED =
      Pattern.compile("(?i)(?:^|;)\\s*filename\\*\\s*=\\s*UTF-8'[^']*'([^;\\s]*)");
  private static final Pattern QUOTED = Pattern.compile("(?i)(?:^|;)\\s*filename\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern TOKEN = Pattern.compile("(?i)(?:^|;)\\s*filename\\s*=\\s*([^;\"\\s]+)");
  private static final int MAX_LENGTH = 255;

  private ContentDisposition() {}

  /** The safe file name, or null when the header names none usable. */
  static String fileName(String header) {
    if (header == null) {
      return null;
    }
    Matcher extended = EXTENDED.matcher(header);
    if (extended.find()) {
      String decoded = percentDecode(extended.group(1));
      if (decoded != null) {
        return safe(decoded);
      }
    }
    Matcher quoted = QUOTED.matcher(header);
    if (quoted.find()) {
      return safe(quoted.group(1).replaceAll("\\\\(.)", "$1"));
    }
    Matcher token = TOKEN.matcher(header);
    return token.find() ? safe(token.group(1)) : null;
  }

  /**
   * The last path segment (either slash), without control, format (bidi) or line-separator
   * characters, trimmed, at most 255 characters; null if nothing usable is left.
   */
  static String safe(String raw) {
    String name = raw;
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    name = name.substring(slash + 1);
    StringBuilder cleaned = new StringBuilder();
    name.codePoints()
        .filter(cp -> !Character.isISOControl(cp))
        .filter(cp -> switch (Character.getType(cp)) {
          case Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.UNASSIGNED,
              Character.PRIVATE_USE, Character.SURROGATE -> false;
          default -> true;
        })
        .forEach(cleaned::appendCodePoint);
    name = cleaned.toString().strip();
    if (name.codePointCount(0, name.length()) > MAX_LENGTH) {
      name = name.substring(0, name.offsetByCodePoints(0, MAX_LENGTH));
    }
    if (name.isEmpty() || name.chars().allMatch(c -> c == '.')) {
      return null;
    }
    return name;
  }

  /** Strict RFC 3986 percent-decoding as UTF-8 ({@code +} is a plus); null if malformed. */
  private static String percentDecode(String encoded) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%') {
        if (i + 2 >= encoded.length()) {
          return null;
        }
        int high = Character.digit(encoded.charAt(i + 1), 16);
        int low = Character.digit(encoded.charAt(i + 2), 16);
        if (high < 0 || low < 0) {
          return null;
        }
        bytes.write(high << 4 | low);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        return null;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
