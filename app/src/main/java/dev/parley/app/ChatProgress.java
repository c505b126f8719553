package dev.parley.app;

import dev.parley.client.ProgressListener;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * A transfer's progress in the chat: a line above the prompt at each quarter, since a line
 * redrawn in place would fight the prompt for the cursor. The figures (rate, time left) are those
 * of {@link ProgressLine}. Thread-safe: transfers report from the HTTP client's threads.
 */
final class ChatProgress implements ProgressListener {
  private static final int STEPS = 4;

  private final ChatSession.Screen screen;
  private final ChatRenderer renderer;
  private final String name;
  /** Only for its figures; what it would print itself goes nowhere. */
  private final ProgressLine figures;
  private int lastStep = -1;

  ChatProgress(ChatSession.Screen screen, ChatRenderer renderer, String name) {
    this.screen = screen;
    this.renderer = renderer;
    this.name = name;
    this.figures = new ProgressLine(new PrintWriter(Writer.nullWriter()), false, name);
  }

  @Override
  public synchronized void onStart(long resumedFrom, long totalBytes) {
    figures.onStart(resumedFrom, totalBytes);
    if (resumedFrom > 0) {
      screen.show(renderer.notice(name + ": resuming at " + ProgressLine.size(resumedFrom) + " of " + ProgressLine.size(totalBytes)));
    }
    lastStep = totalBytes > 0 ? (int) (resumedFrom * STEPS / totalBytes) : -1;
  }

  @Override
  public synchronized void onProgress(long bytesDone, long totalBytes) {
    int step = totalBytes <= 0 ? STEPS : (int) (bytesDone * STEPS / totalBytes);
    if (step > lastStep && step > 0) {
      lastStep = step;
      screen.show(renderer.notice(figures.describe(bytesDone, totalBytes, System.nanoTime())));
    }
  }
}
