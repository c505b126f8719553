package dev.parley.server.files;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Client-chosen file names, made harmless. A name is only ever stored and shown: files live on
 * disk by server-chosen id. Still, a name like {@code ../../etc/passwd} or one with CR/LF must not
 * reach a header or a client's file system unescaped.
 */
public final class FileNames {
  private static final int MAX_LENGTH = 255;

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
    StringBuilder ascii = new StringBuilder();
    name.codePoints().forEach(cp -> ascii.append(cp >= 0x20 && cp < 0x7f && cp != '"' && cp != '\\' ? (char) cp : '_'));
    String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
  }
}
