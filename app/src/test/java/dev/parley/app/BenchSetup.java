package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** Bench users and their token file through the documented admin path, as a bench run sets them up. */
final class BenchSetup {
  private BenchSetup() {}

  /** Creates users u0..u(count-1) in {@code dataDir} and returns their token file, written under {@code home}. */
  static Path usersWithTokens(Path home, Path dataDir, int count) {
    InProcessCli cli = new InProcessCli(home.resolve("admin"));
    Path tokens = home.resolve("tokens.tsv");
    String n = String.valueOf(count);
    InProcessCli.Run created = cli.run("admin", "create-users", "--data-dir", dataDir.toString(), "--count", n);
    assertThat(created.exitCode()).as(created.toString()).isZero();
    InProcessCli.Run minted = cli.run("admin", "mint-tokens", "--data-dir", dataDir.toString(), "--count", n, "--out", tokens.toString());
    assertThat(minted.exitCode()).as(minted.toString()).isZero();
    return tokens;
  }
}
