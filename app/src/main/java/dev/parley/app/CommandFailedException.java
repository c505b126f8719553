package dev.parley.app;

/** A command cannot do what was asked; the message is the one line the user sees. */
final class CommandFailedException extends RuntimeException {
  CommandFailedException(String message) {
    super(message);
  }
}
