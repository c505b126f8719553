package dev.parley.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Two real servers in this JVM as two nodes of one cluster: one PostgreSQL database of their own
 * (created here, dropped on close) and one shared files directory ({@code files-dir}), each with
 * a data directory and ports of its own. Settings given apply to both.
 */
public final class TwoNodes implements AutoCloseable {
  private final TestDatabase database;
  private final Path filesDir;
  private final TestServer first;
  private final TestServer second;

  private TwoNodes(TestDatabase database, Path filesDir, TestServer first, TestServer second) {
    this.database = database;
    this.filesDir = filesDir;
    this.first = first;
    this.second = second;
  }

  public static TwoNodes start(Map<String, Object> settings) {
    return start(settings, Clock.systemUTC());
  }

  /** Nodes whose expiries, throttles and rate limits both read {@code clock} (a {@link TestClock}). */
  public static TwoNodes start(Map<String, Object> settings, Clock clock) {
    TestDatabase database = TestDatabase.create();
    TestServer first = null;
    try {
      Path filesDir = Files.createTempDirectory("parley-shared-files");
      Map<String, Object> both = new HashMap<>(settings);
      both.put("database", database.url());
      both.put("files-dir", filesDir);
      first = TestServer.start(both, clock);
      return new TwoNodes(database, filesDir, first, TestServer.start(both, clock));
    } catch (IOException e) {
      database.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      if (first != null) {
        first.close();
      }
      database.close();
      throw e;
    }
  }

  public TestServer first() {
    return first;
  }

  public TestServer second() {
    return second;
  }

  public TestDatabase database() {
    return database;
  }

  @Override
  public void close() {
    first.close();
    second.close();
    database.close();
    TestServer.deleteRecursively(filesDir);
  }
}
