package dev.parley.app;

import dev.parley.client.ProgressListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * One transfer's progress on stderr: percent, bytes, rate and time left. On a terminal the line is
 * redrawn in place ({@code \r}) a few times a second; otherwise (a log, a pipe) a plain line is
 * written now and then, so logs stay short. The rate counts only bytes moved by this run, not
 * those resumed from an earlier one. Thread-safe: transfers report from the HTTP client's threads.
 */
final class ProgressLine implements ProgressListener {
  static final Duration REDRAW_EVERY = Duration.ofMillis(200);
  static final Duration PLAIN_LINE_EVERY = Duration.ofSeconds(5);

  private final PrintWriter err;
  private final boolean terminal;
  private final String name;
  private final LongSupplier nanoTime;
  private long startNanos;
  private long startBytes;
  private long lastDrawNanos;
  private boolean drawnSinceStart;
  private int lastWidth;

  ProgressLine(PrintWriter err, boolean terminal, String name) {
    this(err, terminal, name, System::nanoTime);
  }

  ProgressLine(PrintWriter err, boolean terminal, String name, LongSupplier nanoTime) {
    this.err = err;
    this.terminal = terminal;
    this.name = TerminalText.visible(name);
    this.nanoTime = nanoTime;
    this.startNanos = nanoTime.getAsLong();
  }

  @Override
  public synchronized void onStart(long resumedFrom, long totalBytes) {
    endRedrawnLine();
    startNanos = nanoTime.getAsLong();
    startBytes = resumedFrom;
    drawnSinceStart = false;
    if (resumedFrom > 0) {
      err.println(name + ": resuming at " + resumedFrom + " of " + totalBytes + " bytes");
      err.flush();
    }
  }

  @Override
  public synchronized void onProgress(long bytesDone, long totalBytes) {
    long now = nanoTime.getAsLong();
    long every = (terminal ? REDRAW_EVERY : PLAIN_LINE_EVERY).toNanos();
    boolean done = bytesDone >= totalBytes;
    if (drawnSinceStart && !done && now - lastDrawNanos < every) {
      return;
    }
    String line = describe(bytesDone, totalBytes, now);
    if (terminal) {
      err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
      lastWidth = line.length();
    } else {
      err.println(line);
    }
    err.flush();
    lastDrawNanos = now;
    drawnSinceStart = true;
  }

  /** Ends the redrawn line, so what follows starts on a line of its own. */
  synchronized void finish() {
    endRedrawnLine();
  }

  private void endRedrawnLine() {
    if (terminal && lastWidth > 0) {
      err.println();
      err.flush();
      lastWidth = 0;
    }
  }

  /** For example {@code 名单.txt  42%  12.6 MB of 30.0 MB  5.3 MB/s  ETA 0:04}. */
  String describe(long bytesDone, long totalBytes, long now) {
    double seconds = (now - startNanos) / 1e9;
    long moved = bytesDone - startBytes;
    double rate = seconds > 0.05 && moved > 0 ? moved / seconds : 0;
    int percent = totalBytes <= 0 ? 100 : (int) (bytesDone * 100 / totalBytes);
    String eta = rate > 0 ? clock(Math.round((totalBytes - bytesDone) / rate)) : "--:--";
    return String.format(Locale.ROOT, "%s  %3d%%  %s of %s  %s/s  ETA %s",
        name, percent, size(bytesDone), size(totalBytes), size(Math.round(rate)), eta);
  }

  /** Decimal units, as network rates are quoted. */
  static String size(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    String[] units = {"kB", "MB", "GB", "TB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  static String clock(long seconds) {
    long h = seconds / 3600;
    long m = seconds / 60 % 60;
    long s = seconds % 60;
    return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
  }
}
