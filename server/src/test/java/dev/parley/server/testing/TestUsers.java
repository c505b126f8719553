package dev.parley.server.testing;

import java.net.URI;

/**
 * Creates users on one test server over its real HTTP API, all with the same password. Safe to use
 * from several threads at once.
 */
public final class TestUsers {
  /** The password of every user the tests create; it passes the default password rules. */
  public static final String PASSWORD = "secret123";

  private final Http http;

  public TestUsers(TestServer server) {
    this(server.http());
  }

  /** Users of a server this JVM did not start (a server process), at its HTTP base address. */
  public TestUsers(URI base) {
    this.http = new Http(base);
  }

  /** Registers the user and logs in once. */
  public TestUser create(String username) {
    return new TestUser(username, PASSWORD, http.registerAndLogin(username, PASSWORD));
  }

  /** Logs an existing user in again: another device, with a token of its own. */
  public TestUser login(String username) {
    return new TestUser(username, PASSWORD, http.login(username, PASSWORD));
  }
}
