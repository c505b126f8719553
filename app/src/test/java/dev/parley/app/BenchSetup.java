package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bench users and their token file through the documented admin path, as a bench run sets them
 * up; the bench module's tests use it too.
 */
public final class BenchSetup {
  private BenchSetup() {}

  /** Creates users u0..u(count-1) in {@code dataDir} and returns their token file, written under {@code home}. */
  public static Path usersWithTokens(Path home, Path dataDir, int count) {
    InProcessCli cli = new InProcessCli(home.resolve("admin"));
    Path tokens = home.resolve("tokens.tsv");
    String n = String.valueOf(count);
    InProcessCli.Run created = cli.run("admin", "create-users", "--data-dir", dataDir.toString(), "--count", n);
    assertThat(created.exitCode()).as(created.toString()).isZero();
    InProcessCli.Run minted = cli.run("admin", "mint-tokens", "--data-dir", dataDir.toString(), "--count", n, "--out", tokens.toString());
    assertThat(minted.exitCode()).as(minted.toString()).isZero();
    return tokens;
  }

  /** A token file's {@code username<TAB>token} lines as username to token, in file order. */
  static Map<String, String> tokensByUser(Path tokenFile) {
    Map<String, String> tokens = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(tokenFile, StandardCharsets.UTF_8)) {
        String[] fields = line.split("\t", 2);
        tokens.put(fields[0], fields[1]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tokens;
  }
}
