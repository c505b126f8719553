package dev.parley.server.files;

import com.ibm.icu.text.Transliterator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Client-chosen file names, made harmless. A name is only ever stored and shown: files live on
 * disk by server-chosen id. Still, a name like {@code ../../etc/passwd} or one with CR/LF must not
 * reach a header or a client's file system unescaped.
 */
public final class FileNames {
  private static final int MAX_LENGTH = 255;
  /** Not thread-safe, and costly to build: one, used under its lock (downloads are not that frequent). */
  private static final Transliterator TO_ASCII = Transliterator.getInstance("Any-Latin; Latin-ASCII");

  private FileNames() {}

  /** The last path segment, without control or bidi-override characters, at most 255 characters. */
  public static String clean(String raw) {
    String name = raw;
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    if (slash >= 0) {
      name = name.substring(slash + 1);
    }
    StringBuilder cleaned = new StringBuilder();
    name.codePoints()
        .filter(cp -> !Character.isISOControl(cp) && Character.getType(cp) != Character.FORMAT)
        .forEach(cleaned::appendCodePoint);
    name = cleaned.toString().strip();
    if (name.codePointCount(0, name.length()) > MAX_LENGTH) {
      name = name.substring(0, name.offsetByCodePoints(0, MAX_LENGTH));
    }
    return name.isEmpty() || name.equals(".") || name.equals("..") ? "file" : name;
  }

  /**
   * {@code attachment} with an ASCII fallback and the exact name as RFC 8187 {@code filename*},
   * so that Chinese names survive and nothing can break out of the header.
   */
  public static String contentDisposition(String name) {
    String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    return "attachment; filename=\"" + asciiFallback(name) + "\"; filename*=UTF-8''" + encoded;
  }

  /**
   * The name for clients that ignore {@code filename*} (curl -OJ, old browsers): transliterated to
   * ASCII ({@code 报告.pdf} becomes {@code bao gao.pdf}), with the extension kept; a name of which
   * nothing transliterates becomes {@code file} with its extension.
   */
  static String asciiFallback(String name) {
    int dot = name.lastIndexOf('.');
    String base = dot > 0 ? name.substring(0, dot) : name;
    String extension = dot > 0 ? ascii(name.substring(dot + 1)) : "";
    String asciiBase = ascii(base);
    if (asciiBase.chars().noneMatch(Character::isLetterOrDigit)) {
      asciiBase = "file";
    }
    return extension.isEmpty() ? asciiBase : asciiBase + "." + extension;
  }

  /** Printable ASCII only, without the quote and backslash that would end or escape the header's string. */
  private static String ascii(String text) {
    String latin;
    synchronized (TO_ASCII) {
      latin = TO_ASCII.transliterate(text);
    }
    StringBuilder ascii = new StringBuilder();
    latin.codePoints()
        .filter(cp -> cp >= 0x20 && cp < 0x7f && cp != '"' && cp != '\\')
        .forEach(ascii::appendCodePoint);
    return ascii.toString().replaceAll(" {2,}", " ").strip();
  }
}
