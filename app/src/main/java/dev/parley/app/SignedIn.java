package dev.parley.app;

import dev.parley.client.ParleyClient;

/** A client of the server that issued the saved login, for the commands that act as that user. */
record SignedIn(ParleyClient client, SavedLogin login) implements AutoCloseable {
  String token() {
    return login.token();
  }

  @Override
  public void close() {
    client.close();
  }
}
