package dev.parley.client;

import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import org.junit.jupiter.api.AfterEach;

/**
 * Base of the client tests that start from alice, bob and carol, registered and logged in on the
 * test's server, and a {@link ParleyClient} for its HTTP API, closed after each test.
 */
abstract class ThreeUsersTest {
  protected final TestServer server;
  protected final ParleyClient rest;
  protected final String alice;
  protected final String bob;
  protected final String carol;

  protected ThreeUsersTest(TestServer server, TestUsers users) {
    this.server = server;
    rest = new ParleyClient(server.http());
    alice = users.create("alice").token();
    bob = users.create("bob").token();
    carol = users.create("carol").token();
  }

  @AfterEach
  void closeTheClient() {
    rest.close();
  }
}
