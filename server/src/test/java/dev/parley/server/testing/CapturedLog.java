package dev.parley.server.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * What one class logs at INFO and above during each test, for tests of what a server logs:
 * {@code @RegisterExtension final CapturedLog log = new CapturedLog(Some.class);}.
 */
public final class CapturedLog implements BeforeEachCallback, AfterEachCallback {
  private final Logger logger;
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private Level levelBefore;

  public CapturedLog(Class<?> source) {
    this.logger = (Logger) LoggerFactory.getLogger(source);
  }

  /** A named logger's lines, such as the security log's. */
  public CapturedLog(String loggerName) {
    this.logger = (Logger) LoggerFactory.getLogger(loggerName);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    levelBefore = logger.getLevel();
    logger.setLevel(Level.INFO);
    logged.start();
    logger.addAppender(logged);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    logger.detachAppender(logged);
    logger.setLevel(levelBefore);
  }

  /** The formatted messages logged at exactly this level, in order. */
  public List<String> messages(Level level) {
    return logged.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
  }
}
