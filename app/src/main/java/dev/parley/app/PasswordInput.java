package dev.parley.app;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Reads a password: at a terminal, without echo; from a pipe, as the first line of stdin, so
 * that scripts can pipe it in and it never shows up in the process list as an argument would.
 */
final class PasswordInput {
  private PasswordInput() {}

  /** With {@code confirm}, a terminal user types it twice (a typo at registration locks them out). */
  static String read(CliEnvironment environment, boolean confirm) {
    Console console = environment.console();
    return console != null ? fromTerminal(console, confirm) : firstLineOf(environment);
  }

  private static String fromTerminal(Console console, boolean confirm) {
    char[] password = console.readPassword("Password: ");
    if (password == null || password.length == 0) {
      throw new CommandFailedException("no password given");
    }
    try {
      if (confirm) {
        char[] repeated = console.readPassword("Repeat password: ");
        boolean same = Arrays.equals(password, repeated);
        if (repeated != null) {
          Arrays.fill(repeated, '\0');
        }
        if (!same) {
          throw new CommandFailedException("the passwords do not match");
        }
      }
      return new String(password);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private static String firstLineOf(CliEnvironment environment) {
    try {
      String line = new BufferedReader(new InputStreamReader(environment.stdin(), UTF_8)).readLine();
      if (line == null || line.isEmpty()) {
        throw new CommandFailedException("no password: type it at a terminal, or pipe it as the first line of stdin");
      }
      return line;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the password from stdin: " + e.getMessage(), e);
    }
  }
}
