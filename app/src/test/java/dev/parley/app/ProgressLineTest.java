package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
  private static final long SECOND = 1_000_000_000L;

  private final StringWriter err = new StringWriter();
  private final AtomicLong now = new AtomicLong(0);

  private ProgressLine line(boolean terminal) {
    return new ProgressLine(new PrintWriter(err, true), terminal, "名单.txt", now::get);
  }

  @Test
  void onATerminalTheLineIsRedrawnInPlaceAndEndedOnFinish() {
    ProgressLine progress = line(true);
    progress.onStart(0, 10_000_000);
    now.set(SECOND);
    progress.onProgress(2_500_000, 10_000_000);
    now.set(SECOND + 1000);
    progress.onProgress(2_600_000, 10_000_000); // too soon after the last redraw: skipped
    now.set(2 * SECOND);
    progress.onProgress(5_000_000, 10_000_000);
    progress.finish();

    assertThat(err.toString()).isEqualTo(
        "\r名单.txt   25%  2.5 MB of 10.0 MB  2.5 MB/s  ETA 0:03"
            + "\r名单.txt   50%  5.0 MB of 10.0 MB  2.5 MB/s  ETA 0:02"
            + "\n");
  }

  @Test
  void elsewhereAPlainLineIsWrittenEveryFewSecondsAndAtTheEnd() {
    ProgressLine progress = line(false);
    progress.onStart(0, 3_000_000);
    now.set(SECOND);
    progress.onProgress(1_000_000, 3_000_000);
    now.set(2 * SECOND);
    progress.onProgress(2_000_000, 3_000_000);
    now.set(3 * SECOND);
    progress.onProgress(3_000_000, 3_000_000);
    progress.finish();

    assertThat(err.toString().lines()).containsExactly(
        "名单.txt   33%  1.0 MB of 3.0 MB  1.0 MB/s  ETA 0:02",
        "名单.txt  100%  3.0 MB of 3.0 MB  1.0 MB/s  ETA 0:00");
  }

  @Test
  void aResumeIsAnnouncedAndItsBytesDoNotCountTowardsTheRate() {
    ProgressLine progress = line(false);
    now.set(5 * SECOND);
    progress.onStart(8_000_000, 10_000_000);
    now.set(7 * SECOND);
    progress.onProgress(9_000_000, 10_000_000);

    assertThat(err.toString().lines()).containsExactly(
        "名单.txt: resuming at 8000000 of 10000000 bytes",
        "名单.txt   90%  9.0 MB of 10.0 MB  500.0 kB/s  ETA 0:02");
  }

  @Test
  void sizesUseDecimalUnitsAndTimesHoursWhenNeeded() {
    assertThat(ProgressLine.size(999)).isEqualTo("999 B");
    assertThat(ProgressLine.size(1_500)).isEqualTo("1.5 kB");
    assertThat(ProgressLine.size(4_300_000_000L)).isEqualTo("4.3 GB");
    assertThat(ProgressLine.clock(59)).isEqualTo("0:59");
    assertThat(ProgressLine.clock(3_725)).isEqualTo("1:02:05");
  }

  @Test
  void anEmptyFileIsAtOnceComplete() {
    ProgressLine progress = line(false);
    progress.onStart(0, 0);
    progress.onProgress(0, 0);

    assertThat(err.toString()).isEqualTo("名单.txt  100%  0 B of 0 B  0 B/s  ETA --:--\n");
  }
}
