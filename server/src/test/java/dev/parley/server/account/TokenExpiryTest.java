package dev.parley.server.account;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.metrics.SecurityLog;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.store.sql.SqlStores;
import dev.parley.server.store.sqlite.SqliteDatabase;
import dev.parley.server.testing.TestClock;
import dev.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token lifetime against a real SQLite store, with a clock the test moves. */
class TokenExpiryTest {

  @Test
  void aTokenUsedWithinItsLifetimeStaysValidAndOneUnusedForLongerDies(@TempDir Path dir) {
    TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    ServerConfig config = TestServer.testSettings(dir).toConfig();
    Duration ttl = config.accounts().tokenTtl();
    Executor direct = Runnable::run;
    try (SqlStores stores = new SqlStores(SqliteDatabase.open(dir))) {
      AccountService accounts =
          AccountService.fromSettings(
              stores.users(), stores.tokens(), stores.limitCells(), config.accounts(), new SecurityLog(clock), clock, direct, direct, new ServerMetrics());
      accounts.register("yara", PASSWORD, null, "127.0.0.1").join();
      String token = accounts.login("yara", PASSWORD, "127.0.0.1", null).join().token();

      clock.advance(Duration.ofDays(29));
      assertThat(accounts.authenticate(token).join().user().username()).isEqualTo("yara");
      clock.advance(Duration.ofDays(29));
      assertThat(accounts.authenticate(token).join().user().username()).isEqualTo("yara");

      clock.advance(ttl.plusSeconds(1));
      assertThat(accounts.authenticate(token))
          .failsWithin(Duration.ofSeconds(1))
          .withThrowableOfType(ExecutionException.class)
          .havingCause()
          .isInstanceOfSatisfying(ParleyException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
      assertThat(stores.tokens().find(Tokens.hash(token))).isEmpty();
    }
  }

}
