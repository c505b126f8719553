package dev.parley.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileNamesTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "报告.pdf               | bao gao.pdf",
        "季度报告 2026.xlsx     | ji du bao gao 2026.xlsx",
        "Ünïcödé résumé.docx    | Unicode resume.docx",
        "Привет.txt             | Privet.txt",
        "😀.png                 | file.png",
        "😀                     | file",
        "plain.tar.gz           | plain.tar.gz",
        "a\"b\\\\c.txt          | abc.txt",
      })
  void theAsciiFallbackIsRecognisableAndKeepsTheExtension(String name, String fallback) {
    assertThat(FileNames.asciiFallback(name.strip())).isEqualTo(fallback.strip());
  }
}
