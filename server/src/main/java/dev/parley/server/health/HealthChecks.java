package dev.parley.server.health;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What {@code /healthz} reports: each check names a part of the server that must keep working and
 * says what is wrong with it. A critical worker that fails shows here, so a supervisor notices.
 * Thread-safe.
 */
public final class HealthChecks {
  /** One check; quick and non-blocking, as it runs on an event loop. */
  @FunctionalInterface
  public interface Check {
    /** What is wrong, or null when nothing is. */
    String problem();
  }

  private final Map<String, Check> checks = new ConcurrentHashMap<>();

  public void add(String name, Check check) {
    checks.put(name, check);
  }

  /** What is wrong now, by check name, sorted; empty while the server is healthy. */
  public Map<String, String> problems() {
    Map<String, String> problems = new TreeMap<>();
    checks.forEach((name, check) -> {
      String problem = check.problem();
      if (problem != null) {
        problems.put(name, problem);
      }
    });
    return problems;
  }
}
