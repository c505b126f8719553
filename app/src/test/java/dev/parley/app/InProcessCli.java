package dev.parley.app;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * Runs {@code parley} commands inside the test JVM, as one user: its own config directory,
 * working directory and environment, stdin given per run, no terminal, output captured. The bench
 * module's tests run its jar's command line with it too.
 */
public final class InProcessCli {
  /** What one run left behind. */
  public record Run(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
    }
  }

  /** The time at the start of a printed message line, and the gap after it, as a regex. */
  static final String TIME = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}  ";

  private final Map<String, String> variables = new HashMap<>();
  private final Path home;
  private final Function<CliEnvironment, CommandLine> commands;

  public InProcessCli(Path home) {
    this(home, Main::commandLine);
  }

  /** Runs the command line {@code commands} makes instead of {@link Main}'s. */
  public InProcessCli(Path home, Function<CliEnvironment, CommandLine> commands) {
    this.home = home;
    this.commands = commands;
    variables.put("PARLEY_CONFIG_DIR", configDir().toString());
  }

  /** {@code user}, registered and logged in to the server through the CLI, at {@code home/user}. */
  static InProcessCli loggedIn(Path home, TestServer server, String user) {
    return new InProcessCli(home.resolve(user)).withVariable("PARLEY_SERVER", server.http().toString()).registerAndLogIn(user);
  }

  InProcessCli withVariable(String name, String value) {
    variables.put(name, value);
    return this;
  }

  Path configDir() {
    return home.resolve("config");
  }

  /** Where relative paths on the command line resolve, and downloads land by default. */
  Path workingDir() {
    return home;
  }

  /** Registers {@code user} with the tests' shared password and logs in, both as a person would: through the CLI. */
  public InProcessCli registerAndLogIn(String user) {
    for (String command : new String[] {"register", "login"}) {
      Run run = runWithStdin(PASSWORD + "\n", command, user);
      if (run.exitCode() != 0) {
        throw new AssertionError(command + " " + user + ": " + run);
      }
    }
    return this;
  }

  public Run run(String... args) {
    return runWithStdin("", args);
  }

  /** Runs the command, fails the test unless it exits 0, and returns what it printed. */
  String succeeds(String... args) {
    Run run = run(args);
    assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run).isZero();
    return run.out();
  }

  public Run runWithStdin(String stdin, String... args) {
    CliEnvironment environment =
        new CliEnvironment(variables, new ByteArrayInputStream(stdin.getBytes(UTF_8)), null, home, workingDir());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = commands.apply(environment);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }
}
