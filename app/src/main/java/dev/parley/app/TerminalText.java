package dev.parley.app;

/**
 * Text that others control (messages, user names, file names, the server's error messages), made
 * safe to print on a terminal: nothing in it reaches the terminal as a control character, so a
 * message cannot clear the screen, move the cursor, retitle the window or reorder what follows.
 * C0 controls show in caret notation ({@code ESC} as {@code ^[}, {@code DEL} as {@code ^?}); C1
 * controls, bidi overrides, isolates and marks, and line or paragraph separators as
 * {@code \u0085}-style escapes. A tab stays a tab. Stateless.
 */
final class TerminalText {
  private TerminalText() {}

  /** On one line: a line break inside shows as {@code ^J}. */
  static String visible(String text) {
    return visible(text, null);
  }

  /**
   * Line breaks ({@code \n} or {@code \r\n}) stay line breaks, each followed by
   * {@code continuationIndent}, so that a multi-line message reads as one block; a lone
   * {@code \r} shows as {@code ^M} and never returns the cursor. A null indent keeps everything
   * on one line.
   */
  static String visible(String text, String continuationIndent) {
    if (text == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int next = i + Character.charCount(cp);
      if (continuationIndent != null && cp == '\r' && next < text.length() && text.charAt(next) == '\n') {
        i = next;
        continue;
      }
      if (continuationIndent != null && cp == '\n') {
        out.append('\n').append(continuationIndent);
      } else if (cp == '\t') {
        out.append('\t');
      } else if (cp < 0x20) {
        out.append('^').append((char) (cp + '@'));
      } else if (cp == 0x7F) {
        out.append("^?");
      } else if (isInvisibleControl(cp)) {
        out.append(String.format("\\u%04X", cp));
      } else {
        out.appendCodePoint(cp);
      }
      i = next;
    }
    return out.toString();
  }

  private static boolean isInvisibleControl(int cp) {
    return (cp >= 0x80 && cp <= 0x9F) // C1 controls, CSI (U+009B) among them
        || cp == 0x061C // Arabic letter mark
        || cp == 0x200E || cp == 0x200F // left-to-right and right-to-left marks
        || (cp >= 0x202A && cp <= 0x202E) // bidi embeddings and overrides
        || (cp >= 0x2066 && cp <= 0x2069) // bidi isolates
        || cp == 0x2028 || cp == 0x2029; // line and paragraph separators
  }
}
