package dev.parley.server.store.sqlite;

import com.ibm.icu.lang.UCharacter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.sqlite.Function;

/**
 * Search on SQLite's trigram index, which keeps no positions ({@code detail=none}, Migrations
 * version 11): the index finds the messages that hold every trigram of the text, in any order
 * and place, and {@value #FUNCTION} keeps those that hold the text itself as a substring,
 * ignoring case as the index does (Unicode simple case folding, per character). The index's
 * folding is at most as wide as this one, so the check drops no message the index let through
 * that a positional index would have found.
 */
final class TrigramMatch {
  private static final String FUNCTION = "parley_contains";
  /**
   * The condition of {@link dev.parley.server.store.sql.SqlDatabase#searchMatch}, whose parameters
   * are {@link #parameters}: the index, then the substring, as it is (in SQLite's C) before ignoring
   * case (in Java). The check runs on every hit of the index, visible to the user or not; with
   * only the Java function, a search through a million other people's messages took 2.2 s instead of 0.9.
   */
  static final String CONDITION = "message_search MATCH ? AND (instr(coalesce(f.name, m.body), ?) > 0 OR "
      + FUNCTION + "(coalesce(f.name, m.body), ?))";

  private TrigramMatch() {}

  /** The parameters of {@link #CONDITION} for a search for {@code text} (three characters or more). */
  static List<String> parameters(String text) {
    return List.of(everyTrigram(text), text, text);
  }

  /** The FTS5 query for messages holding every trigram of {@code text}, each once. */
  static String everyTrigram(String text) {
    int[] codePoints = text.codePoints().toArray();
    Set<String> trigrams = new LinkedHashSet<>();
    for (int i = 0; i + 3 <= codePoints.length; i++) {
      trigrams.add("\"" + new String(codePoints, i, 3).replace("\"", "\"\"") + "\"");
    }
    return String.join(" AND ", trigrams);
  }

  /** Whether {@code text} holds {@code query}, ignoring case. */
  static boolean contains(String text, String query) {
    return fold(text).contains(fold(query));
  }

  private static String fold(String text) {
    StringBuilder folded = new StringBuilder(text.length());
    text.codePoints().forEach(c -> folded.appendCodePoint(fold(c)));
    return folded.toString();
  }

  /** SQLite's UTF-8 reader, the index's, takes the noncharacters U+FFFE and U+FFFF for U+FFFD. */
  private static int fold(int c) {
    return c == 0xFFFE || c == 0xFFFF ? 0xFFFD : UCharacter.foldCase(c, true);
  }

  /** Makes {@value #FUNCTION} known to a connection; each needs its own instance, which holds the call's state. */
  static void register(Connection connection) throws SQLException {
    Function.create(connection, FUNCTION, new Function() {
      @Override
      protected void xFunc() throws SQLException {
        result(contains(value_text(0), value_text(1)) ? 1 : 0);
      }
    }, 2, Function.FLAG_DETERMINISTIC);
  }
}
