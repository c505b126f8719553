package dev.parley.bench.load;

/**
 * What one {@code bench logins} run measured, over the whole run.
 *
 * @param loginsPerSecond successful logins per second of the run
 * @param latencyMillis request → token, of the successful logins
 * @param firstFailure what the first failed login got, or null
 * @param argon2 the cost each login's password check pays, with its source
 */
public record LoginBenchResult(
    int count,
    int concurrency,
    double seconds,
    long succeeded,
    long failed,
    double loginsPerSecond,
    Latency latencyMillis,
    String firstFailure,
    Argon2Parameters argon2) {

  /** Percentiles of login latency, in milliseconds. */
  public record Latency(double p50, double p99, double max) {}
}
