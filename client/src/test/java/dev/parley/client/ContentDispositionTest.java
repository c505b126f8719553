package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentDispositionTest {
  @Test
  void theExtendedNameWinsOverTheAsciiFallback() {
    assertThat(ContentDisposition.fileName("attachment; filename=\"__.txt\"; filename*=UTF-8''%E5%90%8D%E5%8D%95.txt"))
        .isEqualTo("名单.txt");
  }

  @Test
  void plusAndSpacesDecodeAsThemselves() {
    assertThat(ContentDisposition.fileName("attachment; filename*=UTF-8''a+b%20c.txt")).isEqualTo("a+b c.txt");
  }

  @Test
  void aPlainOrQuotedNameIsUsedWhenThereIsNoExtendedOne() {
    assertThat(ContentDisposition.fileName("attachment; filename=\"say \\\"hi\\\".txt\"")).isEqualTo("say \"hi\".txt");
    assertThat(ContentDisposition.fileName("attachment; filename=report.pdf")).isEqualTo("report.pdf");
  }

  @Test
  void malformedPercentEncodingFallsBackToTheAsciiName() {
    assertThat(ContentDisposition.fileName("attachment; filename=\"fallback.txt\"; filename*=UTF-8''%E5%90")).isEqualTo("fallback.txt");
    assertThat(ContentDisposition.fileName("attachment; filename=\"fallback.txt\"; filename*=UTF-8''%zz")).isEqualTo("fallback.txt");
  }

  @Test
  void onlyTheLastPathSegmentIsKept() {
    assertThat(ContentDisposition.fileName("attachment; filename*=UTF-8''..%2F..%2F.bashrc")).isEqualTo(".bashrc");
    assertThat(ContentDisposition.fileName("attachment; filename=\"C:\\\\Windows\\\\evil.dll\"")).isEqualTo("evil.dll");
    assertThat(ContentDisposition.fileName("attachment; filename*=UTF-8''%2Fetc%2Fpasswd")).isEqualTo("passwd");
  }

  @Test
  void controlAndBidiCharactersAreRemoved() {
    assertThat(ContentDisposition.fileName("attachment; filename*=UTF-8''a%0D%0Ab%00c.txt")).isEqualTo("abc.txt");
    // U+202E RIGHT-TO-LEFT OVERRIDE would show "evil\u202Etxt.exe" as "evilexe.txt".
    assertThat(ContentDisposition.fileName("attachment; filename*=UTF-8''evil%E2%80%AEtxt.exe")).isEqualTo("eviltxt.exe");
  }

  @Test
  void namesThatAreNoNameGiveNull() {
    assertThat(ContentDisposition.fileName(null)).isNull();
    assertThat(ContentDisposition.fileName("attachment")).isNull();
    assertThat(ContentDisposition.fileName("attachment; filename*=UTF-8''..")).isNull();
    assertThat(ContentDisposition.fileName("attachment; filename*=UTF-8''%2F")).isNull();
    assertThat(ContentDisposition.fileName("attachment; filename=\" \"")).isNull();
  }

  @Test
  void aVeryLongNameIsCutTo255Characters() {
    assertThat(ContentDisposition.fileName("attachment; filename=" + "x".repeat(300))).hasSize(255);
  }
}
