package dev.parley.bench.load;

import java.util.List;
import java.util.Map;

/**
 * What one {@code bench attacks} run found: a row per attack, the first one with no attack, as
 * the baseline.
 *
 * @param limitMillis the latency a normal user's login and message must stay under
 */
public record AttackBenchResult(double limitMillis, List<Row> rows) {

  /** Whether the normal user got every login and message through in time during every attack. */
  public boolean normalUserUnharmed() {
    return rows.stream().allMatch(Row::withinLimit);
  }

  /**
   * One attack.
   *
   * @param attack its name
   * @param sent what the attacker's clients did
   * @param from the attacker's source address
   * @param seconds how long it ran
   * @param requests frames or requests the attacker sent (bytes for slowloris)
   * @param bytesSent bytes the attacker sent
   * @param answers what the attacker saw: frames by type, errors by code, {@code bye <reason>},
   *     {@code http <status> [code]}, {@code closed by server}, {@code connect refused}, {@code
   *     open at end}
   * @param normal the normal user meanwhile
   * @param withinLimit whether the normal user's every login and message took less than the limit
   * @param recoverySeconds after the attack, how long until the normal user's login and message
   *     both took less than the limit again; NaN when that did not happen within a minute
   * @param server the server's own figures meanwhile, from {@code /metrics}; NaN when not read
   */
  public record Row(
      String attack,
      String sent,
      String from,
      double seconds,
      long requests,
      long bytesSent,
      Map<String, Long> answers,
      NormalUserResult normal,
      boolean withinLimit,
      double recoverySeconds,
      ServerFigures server) {}

  /**
   * @param residentMiBMax the largest resident memory sampled
   * @param connectionsOpenMax the most open connections sampled
   * @param passwordHashes Argon2 hashes the server computed during the attack
   */
  public record ServerFigures(double residentMiBMax, double connectionsOpenMax, double passwordHashes) {}
}
