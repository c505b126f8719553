package dev.parley.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The ticket's lifetime to the millisecond, with a clock the test moves. */
class DownloadTicketsTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final DownloadTickets tickets = new DownloadTickets(Duration.ofMinutes(5), clock);

  @Test
  void aTicketIsValidUntilItsExpiryAndNotAMillisecondLonger() {
    DownloadTickets.Ticket ticket = tickets.issue(42, "0123456789abcdef0123456789abcdef");

    clock.advance(Duration.ofMinutes(5).minusMillis(1));
    assertThat(tickets.verify(ticket.value(), "0123456789abcdef0123456789abcdef")).hasValue(42);
    clock.advance(Duration.ofMillis(1));
    assertThat(tickets.verify(ticket.value(), "0123456789abcdef0123456789abcdef")).isEmpty();
  }

  @Test
  void anotherServersTicketIsRefused() {
    DownloadTickets other = new DownloadTickets(Duration.ofMinutes(5), clock);

    DownloadTickets.Ticket ticket = other.issue(42, "0123456789abcdef0123456789abcdef");

    assertThat(tickets.verify(ticket.value(), "0123456789abcdef0123456789abcdef")).isEmpty();
  }
}
