package dev.parley.bench.load;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Argon2 cost a login pays, and where the figures come from. A login verifies against the
 * stored PHC string with the cost written in it ({@code $argon2id$v=19$m=19456,t=2,p=1$…}), not
 * with the server's current settings, so the stored hash is the authority when it can be read.
 *
 * @param memoryKib {@code m}, memory in KiB
 * @param iterations {@code t}, passes over the memory
 * @param parallelism {@code p}, lanes
 * @param source where the figures were read
 */
public record Argon2Parameters(int memoryKib, int iterations, int parallelism, String source) {
  private static final Pattern PHC = Pattern.compile("^\\$(argon2(?:id|i|d))\\$(?:v=\\d+\\$)?m=(\\d+),t=(\\d+),p=(\\d+)\\$");

  /** The parameters of a PHC string. */
  public static Argon2Parameters fromPhc(String phc, String source) {
    Matcher matcher = PHC.matcher(phc);
    if (!matcher.find()) {
      throw new IllegalArgumentException("not an Argon2 PHC string: " + phc.substring(0, Math.min(phc.length(), 12)) + "…");
    }
    return new Argon2Parameters(
        Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3)), Integer.parseInt(matcher.group(4)), source);
  }
}
