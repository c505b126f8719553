package dev.parley.app;

import java.io.Console;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command sees of the process around it: environment variables, standard input, the
 * terminal (null when there is none), the home directory and the working directory, against which
 * relative paths on the command line resolve. Commands never read these from {@link System}
 * themselves, so tests can run them in-process with their own.
 */
public record CliEnvironment(
    Map<String, String> variables, InputStream stdin, Console console, Path userHome, Path workingDir) {
  public CliEnvironment {
    variables = Map.copyOf(variables);
  }

  /** The real process: its environment, {@code System.in}, and its terminal if it has one. */
  public static CliEnvironment ofProcess() {
    return new CliEnvironment(
        System.getenv(), System.in, terminal(), Path.of(System.getProperty("user.home")), Path.of("").toAbsolutePath());
  }

  /** The variable's value, or null when unset or blank. */
  public String variable(String name) {
    String value = variables.get(name);
    return value == null || value.isBlank() ? null : value;
  }

  /**
   * Where the saved login lives: {@code $PARLEY_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/parley},
   * else {@code ~/.config/parley}.
   */
  public Path configDir() {
    if (variable("PARLEY_CONFIG_DIR") != null) {
      return Path.of(variable("PARLEY_CONFIG_DIR"));
    }
    if (variable("XDG_CONFIG_HOME") != null) {
      return Path.of(variable("XDG_CONFIG_HOME"), "parley");
    }
    return userHome.resolve(".config").resolve("parley");
  }

  /** A path from the command line, relative to the working directory. */
  public Path resolve(String path) {
    return workingDir.resolve(path).normalize();
  }

  /**
   * JDK 22 to 24 return a Console even when stdin is a pipe; only {@code Console.isTerminal()}
   * (new in 22, so looked up reflectively while we target 21) tells a real terminal apart. A
   * pipe must be read as a pipe, or scripts that echo a password into us would hang or fail.
   */
  private static Console terminal() {
    Console console = System.console();
    if (console == null) {
      return null;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return Boolean.TRUE.equals(isTerminal.invoke(console)) ? console : null;
    } catch (NoSuchMethodException e) {
      return console; // JDK 21: System.console() is null unless stdin and stdout are a terminal.
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }
}
