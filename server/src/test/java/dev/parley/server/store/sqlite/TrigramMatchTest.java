package dev.parley.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrigramMatchTest {
  /** Every cased script is in Unicode's first two planes. */
  private static final int LAST_CODE_POINT = 0x1FFFF;

  @Test
  void theQueryAsksForEachTrigramOnceQuotedSoThatNoCharacterIsAnOperator() {
    assertThat(TrigramMatch.everyTrigram("abcabc")).isEqualTo("\"abc\" AND \"bca\" AND \"cab\"");
    assertThat(TrigramMatch.everyTrigram("季度报告")).isEqualTo("\"季度报\" AND \"度报告\"");
    assertThat(TrigramMatch.everyTrigram("a\"b OR")).isEqualTo("\"a\"\"b\" AND \"\"\"b \" AND \"b O\" AND \" OR\"");
    assertThat(TrigramMatch.everyTrigram("😀😁😂")).as("characters, not UTF-16 units").isEqualTo("\"😀😁😂\"");
  }

  @Test
  void theCheckWantsTheWholeTextInOnePlaceIgnoringCase() {
    assertThat(TrigramMatch.contains("abcd bcde", "abcde")).as("every trigram, but not in one place").isFalse();
    assertThat(TrigramMatch.contains("Report 报告 v2", "REPORT 报")).isTrue();
    assertThat(TrigramMatch.contains("ПРИВЕТ мир", "привет")).isTrue();
    assertThat(TrigramMatch.contains("ΣΊΣΥΦΟΣ", "σίσυφος")).as("final sigma folds as sigma").isTrue();
    assertThat(TrigramMatch.contains("école", "ecole")).as("accents are kept, as by the index").isFalse();
  }

  /**
   * The check must not drop a message the index found: wherever the index's tokenizer folds a
   * character, the check folds it to the same. Read from the tokenizer itself, one character at a
   * time (a positional table here, only to read each row's one token back).
   */
  @Test
  void theCheckFoldsEveryCharacterAtLeastAsTheIndexDoes() throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:");
        Statement sql = connection.createStatement()) {
      sql.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='trigram')");
      sql.execute("CREATE VIRTUAL TABLE tokens USING fts5vocab(t, 'instance')");
      connection.setAutoCommit(false);
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t(rowid, body) VALUES (?, ?)")) {
        for (int c = 1; c <= LAST_CODE_POINT; c++) {
          if (Character.isSurrogate((char) c) && c <= 0xFFFF) {
            continue;
          }
          insert.setInt(1, c);
          insert.setString(2, new StringBuilder().appendCodePoint(c).append("ab").toString());
          insert.addBatch();
        }
        insert.executeBatch();
      }
      connection.commit();

      List<String> folded = new ArrayList<>();
      List<String> disagreeing = new ArrayList<>();
      try (ResultSet rows = sql.executeQuery("SELECT doc, term FROM tokens")) {
        while (rows.next()) {
          int c = rows.getInt(1);
          int indexed = rows.getString(2).codePointAt(0);
          if (indexed != c) {
            folded.add(Integer.toHexString(c));
            if (!TrigramMatch.contains(new String(Character.toChars(indexed)), new String(Character.toChars(c)))) {
              disagreeing.add(Integer.toHexString(c) + "→" + Integer.toHexString(indexed));
            }
          }
        }
      }
      assertThat(folded).as("the index folds case at all").contains("41", "410", "3a3");
      assertThat(disagreeing).isEmpty();
    }
  }
}
