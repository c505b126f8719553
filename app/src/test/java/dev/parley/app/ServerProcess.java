package dev.parley.app;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code parley server} in a child JVM on loopback and ephemeral ports, started from the test
 * classpath with the test's own java, so that tests can signal and kill it for real.
 */
final class ServerProcess implements AutoCloseable {
  static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern LISTENING =
      Pattern.compile("parley listening http=(127\\.0\\.0\\.1):(\\d+) tcp=(127\\.0\\.0\\.1):(\\d+) admin=(127\\.0\\.0\\.1):(\\d+)");

  private final Process process;
  private final BufferedReader stdout;
  private final Path log;
  private final int httpPort;
  private final int tcpPort;

  private ServerProcess(Process process, BufferedReader stdout, Path log, int httpPort, int tcpPort) {
    this.process = process;
    this.stdout = stdout;
    this.log = log;
    this.httpPort = httpPort;
    this.tcpPort = tcpPort;
  }

  /** Starts a server on {@code dataDir} and waits for its listening line; stderr goes to {@code log}. */
  static ServerProcess start(Path dataDir, Path log) throws Exception {
    return start(dataDir, log, List.of(), Map.of(), List.of());
  }

  /** The same with more flags for {@code parley server}, e.g. {@code --tls self-signed}. */
  static ServerProcess startWith(Path dataDir, Path log, String... serverFlags) throws Exception {
    return start(dataDir, log, List.of(), Map.of(), List.of(serverFlags));
  }

  /** The same with settings in the environment too ({@code PARLEY_…}; those the server does not know it ignores). */
  static ServerProcess startWith(Path dataDir, Path log, Map<String, String> environment, String... serverFlags) throws Exception {
    return start(dataDir, log, List.of(), environment, List.of(serverFlags));
  }

  /** The same, run in {@code workingDir}, against which the server resolves relative paths. */
  static ServerProcess startIn(Path workingDir, Path dataDir, Path log) throws Exception {
    return start(dataDir, log, List.of("env", "-C", workingDir.toString()), Map.of(), List.of());
  }

  /**
   * The same under an open-files limit of {@code maxOpenFiles} (the shell's {@code ulimit -n},
   * which then execs java, so the process is the server itself).
   */
  static ServerProcess startWithOpenFilesLimit(Path dataDir, Path log, int maxOpenFiles) throws Exception {
    return start(dataDir, log, List.of("bash", "-c", "ulimit -n " + maxOpenFiles + " && exec \"$@\"", "bash"), Map.of(), List.of());
  }

  private static ServerProcess start(
      Path dataDir, Path log, List<String> wrapper, Map<String, String> environment, List<String> serverFlags) throws Exception {
    List<String> command = new ArrayList<>(wrapper);
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    // The logging of the packaged server (INFO, to stderr), not the tests' quieter one on the classpath.
    command.add("-Dlogback.configurationFile=" + Path.of(ServerProcess.class.getResource("/logback.xml").toURI()));
    command.add("dev.parley.app.Main");
    command.addAll(List.of("server", "--host", "127.0.0.1", "--http-port", "0", "--tcp-port", "0"));
    command.addAll(List.of("--data-dir", dataDir.toString()));
    command.addAll(serverFlags);
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // A free admin port too: tests run side by side, and the default one may be taken.
    builder.environment().put("PARLEY_ADMIN_PORT", "0");
    // The crash tests pipeline a few hundred sends at once, past the default per connection.
    builder.environment().put("PARLEY_MAX_REQUESTS_IN_FLIGHT", "1000");
    builder.environment().putAll(environment);
    Process process = builder.start();
    BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
    String line;
    try {
      line = CompletableFuture.supplyAsync(() -> readLine(stdout)).get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new AssertionError("server did not start; its log:\n" + Files.readString(log), e);
    }
    Matcher matcher = line == null ? null : LISTENING.matcher(line);
    if (matcher == null || !matcher.matches()) {
      process.destroyForcibly();
      throw new AssertionError("unexpected first line " + line + "; server log:\n" + Files.readString(log));
    }
    return new ServerProcess(
        process, stdout, log, Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(4)));
  }

  URI http() {
    return URI.create("http://127.0.0.1:" + httpPort);
  }

  /** The HTTP port as HTTPS, for a server started with TLS. */
  URI https() {
    return URI.create("https://127.0.0.1:" + httpPort);
  }

  /** The next line the server prints after its listening line (the TLS line, say). */
  String nextLine() throws Exception {
    return CompletableFuture.supplyAsync(() -> readLine(stdout)).get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  int tcpPort() {
    return tcpPort;
  }

  Process process() {
    return process;
  }

  /** Whatever the server printed after its listening line; read once it has exited. */
  String remainingStdout() throws IOException {
    StringBuilder rest = new StringBuilder();
    String line;
    while ((line = stdout.readLine()) != null) {
      rest.append(line).append('\n');
    }
    return rest.toString();
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  /** Waits for the process to end; fails if it does not in time. */
  int awaitExit(Duration timeout) throws InterruptedException, IOException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("server still running after " + timeout + "; its log:\n" + log());
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        process.destroyForcibly().waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String readLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
