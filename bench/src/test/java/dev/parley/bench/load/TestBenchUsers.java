package dev.parley.bench.load;

import dev.parley.server.admin.OperatorAccounts;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/** Bench users for tests, made the way {@code parley admin create-users} and {@code mint-tokens} make them. */
final class TestBenchUsers {
  private TestBenchUsers() {}

  /** Users {@code u0 … u<count-1>} in {@code dataDir}'s database, with a token each, in that order. */
  static List<BenchUser> create(Path dataDir, int count) {
    List<String> names = IntStream.range(0, count).mapToObj(i -> "u" + i).toList();
    try (OperatorAccounts accounts = OperatorAccounts.open(dataDir)) {
      accounts.createUsers(names, "not-the-point-1");
      return accounts.mintTokens(names).stream().map(minted -> new BenchUser(minted.username(), minted.token())).toList();
    }
  }
}
