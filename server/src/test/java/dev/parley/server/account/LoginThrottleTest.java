package dev.parley.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.ParleyException;
import dev.parley.server.config.ServerConfig.LoginLimits;
import dev.parley.server.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private static final LoginLimits LIMITS = new LoginLimits(2, 3, Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofMinutes(15));

  private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final LoginThrottle throttle = new LoginThrottle(LIMITS, clock);

  @Test
  void aUsernameIsBlockedAfterItsFailuresUntilTheWindowEnds() {
    throttle.recordFailure("kim", "10.0.0.1");
    assertThatCode(() -> throttle.check("kim", "10.0.0.9")).doesNotThrowAnyException();
    throttle.recordFailure("kim", "10.0.0.2");
    clock.advance(Duration.ofMinutes(1));
    assertThatThrownBy(() -> throttle.check("kim", "10.0.0.9"))
        .isInstanceOfSatisfying(ParleyException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(240));

    clock.advance(Duration.ofMinutes(4));
    assertThatCode(() -> throttle.check("kim", "10.0.0.9")).doesNotThrowAnyException();
  }

  @Test
  void purgingForgetsOnlyEndedWindows() {
    throttle.recordFailure("old", "a");
    throttle.recordFailure("old", "a");
    clock.advance(Duration.ofMinutes(3));
    throttle.recordFailure("new", "b");
    throttle.recordFailure("new", "b");
    clock.advance(Duration.ofMinutes(3));
    throttle.purgeExpired();
    assertThatCode(() -> throttle.check("old", "c")).doesNotThrowAnyException();
    assertThatThrownBy(() -> throttle.check("new", "c")).isInstanceOf(ParleyException.class);
  }

  @Test
  void anAddressIsBlockedAcrossUsernamesAndASuccessClearsOnlyTheUsername() {
    throttle.recordFailure("a", "10.0.0.1");
    throttle.recordFailure("b", "10.0.0.1");
    throttle.recordFailure("c", "10.0.0.1");
    assertThatThrownBy(() -> throttle.check("d", "10.0.0.1")).isInstanceOf(ParleyException.class);
    assertThatCode(() -> throttle.check("d", "10.0.0.2")).doesNotThrowAnyException();

    throttle.recordFailure("e", "10.0.0.2");
    throttle.recordFailure("e", "10.0.0.2");
    throttle.recordSuccess("e");
    assertThatCode(() -> throttle.check("e", "10.0.0.3")).doesNotThrowAnyException();
  }
}
