package dev.parley.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.ParleyException;
import dev.parley.server.config.ServerConfig.LoginLimits;
import dev.parley.server.store.LocalLimitCells;
import dev.parley.server.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private static final LoginLimits LIMITS =
      new LoginLimits(2, 3, Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofSeconds(60));

  private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final LoginThrottle throttle = new LoginThrottle(LIMITS, new LocalLimitCells(), clock);

  @Test
  void aPairBacksOffDoublingUpToTheCapAndOtherAddressesAreNotAffected() {
    throttle.recordFailure("kim", "10.0.0.1");
    assertThatCode(() -> throttle.check("kim", "10.0.0.1")).doesNotThrowAnyException();
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      throttle.recordFailure("kim", "10.0.0.1");
      waits.add(retryAfter("kim", "10.0.0.1"));
      assertThatCode(() -> throttle.check("kim", "10.0.0.9")).doesNotThrowAnyException();
      clock.advance(Duration.ofSeconds(waits.getLast()));
      assertThatCode(() -> throttle.check("kim", "10.0.0.1")).doesNotThrowAnyException();
      clock.advance(Duration.ofMinutes(5));
    }
    assertThat(waits).containsExactly(5L, 10L, 20L, 40L, 60L, 60L);
  }

  @Test
  void theRightPasswordClearsOnlyItsOwnPair() {
    throttle.recordFailure("lee", "10.0.0.1");
    throttle.recordFailure("lee", "10.0.0.1");
    throttle.recordFailure("lee", "10.0.0.2");
    throttle.recordFailure("lee", "10.0.0.2");
    throttle.recordSuccess("lee", "10.0.0.2");
    assertThatCode(() -> throttle.check("lee", "10.0.0.2")).doesNotThrowAnyException();
    assertThat(retryAfter("lee", "10.0.0.1")).isEqualTo(5);
  }

  @Test
  void purgingForgetsPairsOnlyAfterTheLongerOfWindowAndCap() {
    LoginThrottle lenient = new LoginThrottle(
        new LoginLimits(2, 100, Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofSeconds(60)), new LocalLimitCells(), clock);
    lenient.recordFailure("old", "a");
    lenient.recordFailure("old", "a");
    clock.advance(Duration.ofMinutes(3));
    lenient.recordFailure("new", "b");
    lenient.recordFailure("new", "b");
    clock.advance(Duration.ofSeconds(126));
    lenient.purgeExpired();
    assertThatCode(() -> lenient.check("old", "a")).doesNotThrowAnyException();
    lenient.recordFailure("old", "a");
    lenient.recordFailure("new", "b");
    assertThatCode(() -> lenient.check("old", "a")).as("forgotten: this is its first failure").doesNotThrowAnyException();
    assertThatThrownBy(() -> lenient.check("new", "b"))
        .as("remembered: its third failure doubles the back-off")
        .isInstanceOfSatisfying(ParleyException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(10));
  }

  @Test
  void anAddressIsBlockedAcrossUsernamesUntilItsWindowEnds() {
    throttle.recordFailure("a", "10.0.0.1");
    throttle.recordFailure("b", "10.0.0.1");
    clock.advance(Duration.ofMinutes(1));
    throttle.recordFailure("c", "10.0.0.1");
    assertThat(retryAfter("d", "10.0.0.1")).isEqualTo(240);
    assertThatCode(() -> throttle.check("d", "10.0.0.2")).doesNotThrowAnyException();
    clock.advance(Duration.ofMinutes(4));
    assertThatCode(() -> throttle.check("d", "10.0.0.1")).doesNotThrowAnyException();
  }

  private long retryAfter(String usernameKey, String address) {
    List<Long> seconds = new ArrayList<>();
    assertThatThrownBy(() -> throttle.check(usernameKey, address))
        .isInstanceOfSatisfying(ParleyException.class, e -> seconds.add(e.retryAfterSeconds()));
    return seconds.getFirst();
  }
}
