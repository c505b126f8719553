package dev.parley.bench.load;

/**
 * Just enough of an IRC line's syntax (RFC 2812 §2.3.1) for the load generator: {@code
 * [":" prefix SPACE] command {SPACE param} [SPACE ":" trailing]}, without the CR LF. Index
 * arithmetic on the line rather than a parsed object: a receiver handles hundreds of thousands
 * of lines a second on the CPU the server under test also needs.
 */
final class IrcLines {
  private IrcLines() {}

  /** The command, e.g. {@code PRIVMSG}, {@code PING} or a three-digit numeric such as {@code 001}. */
  static String command(String line) {
    int start = commandStart(line);
    return line.substring(start, commandEnd(line, start));
  }

  /**
   * Where the text of a {@code PRIVMSG} starts (its last parameter), or -1 if the line is not a
   * {@code PRIVMSG} with a target and a text.
   */
  static int privmsgText(String line) {
    int start = commandStart(line);
    int end = commandEnd(line, start);
    if (end - start != 7 || !line.regionMatches(start, "PRIVMSG", 0, 7)) {
      return -1;
    }
    int target = end + 1;
    int text = lastParameter(line, end);
    return text > target && line.charAt(target) != ':' ? text : -1;
  }

  /** The reply to a {@code PING}: a {@code PONG} with the same parameter; null for other lines. */
  static String pong(String line) {
    int start = commandStart(line);
    int end = commandEnd(line, start);
    if (end - start != 4 || !line.regionMatches(start, "PING", 0, 4)) {
      return null;
    }
    int token = lastParameter(line, end);
    return token < 0 ? "PONG" : "PONG :" + line.substring(token);
  }

  /** The numeric reply's code (001, 433, …), or -1 for a command that is not numeric. */
  static int numeric(String line) {
    int start = commandStart(line);
    int end = commandEnd(line, start);
    if (end - start != 3) {
      return -1;
    }
    for (int i = start; i < end; i++) {
      if (!Character.isDigit(line.charAt(i))) {
        return -1;
      }
    }
    return Integer.parseInt(line, start, end, 10);
  }

  private static int commandStart(String line) {
    if (!line.startsWith(":")) {
      return 0;
    }
    int space = line.indexOf(' ');
    return space < 0 ? line.length() : space + 1;
  }

  private static int commandEnd(String line, int start) {
    int space = line.indexOf(' ', start);
    return space < 0 ? line.length() : space;
  }

  /**
   * The start of the last parameter after the command ending at {@code commandEnd}: the trailing
   * one after {@code " :"} (which may hold spaces), else the last space-separated one; -1 when
   * there are no parameters.
   */
  private static int lastParameter(String line, int commandEnd) {
    int trailing = line.indexOf(" :", commandEnd);
    if (trailing >= 0) {
      return trailing + 2;
    }
    int lastSpace = line.lastIndexOf(' ');
    return lastSpace >= commandEnd && lastSpace < line.length() - 1 ? lastSpace + 1 : -1;
  }
}
