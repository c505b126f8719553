package dev.parley.app;

import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A client of the server that issued the saved login, for the commands that act as that user. */
record SignedIn(ParleyClient client, SavedLogin login) implements AutoCloseable {
  /** How long a command waits for the reply to a frame. */
  private static final long REPLY_SECONDS = 30;

  String token() {
    return login.token();
  }

  /** The room that {@code given} (an id, {@code #name} or a name) names among the user's rooms. */
  RoomNames.Known room(String given) {
    return RoomNames.resolve(given, client.rooms(token()).stream().map(r -> new RoomNames.Known(r.room(), r.name())).toList());
  }

  /**
   * A live connection, for the room requests that have no HTTP endpoint. It asks for a replay
   * from {@link Long#MAX_VALUE}, so it takes none of the messages waiting for the user's real
   * clients; the caller closes it.
   */
  ParleyConnection connect() {
    return client.connect(token(), Long.MAX_VALUE, frame -> {});
  }

  /** The reply a request completes with; the server's refusal is thrown as it came. */
  static <T> T await(CompletableFuture<T> reply) {
    try {
      return reply.get(REPLY_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : new CompletionException(e.getCause());
    } catch (TimeoutException e) {
      throw new CommandFailedException("no reply from the server within " + REPLY_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailedException("interrupted");
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
