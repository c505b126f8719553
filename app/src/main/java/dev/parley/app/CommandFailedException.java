package dev.parley.app;

/** A command cannot do what was asked; the message is the one line the user sees. */
public final class CommandFailedException extends RuntimeException {
  public CommandFailedException(String message) {
    super(message);
  }
}
