package dev.parley.server.api;

import dev.parley.server.account.Authenticated;

/** Who made a request, as the {@link AccessGate} established it for the route's {@link Access}. */
public sealed interface Caller {
  /**
   * The logged-in user. Only a route with {@link Access#TOKEN} or {@link Access#ADMIN} is sure to have one: asking on any
   * other route is a programming error.
   */
  default Authenticated user() {
    throw new IllegalStateException("no login on this request: give the route Access.TOKEN");
  }

  record Anonymous() implements Caller {}

  /** Authenticated with a login token. */
  record WithToken(Authenticated user) implements Caller {}

  /** Holds a download ticket for the file the request names; carries the user it was issued to. */
  record WithTicket(long userId) implements Caller {}
}
