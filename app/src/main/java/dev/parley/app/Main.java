package dev.parley.app;

import dev.parley.client.ParleyClientException;
import dev.parley.protocol.ErrorCode;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code parley} command.
 *
 * <ul>
 *   <li>{@code parley server [--host ADDR] [--http-port N] [--tcp-port N] [--data-dir DIR]
 *       [--config FILE]}: runs the server until SIGTERM or SIGINT, then shuts down cleanly.
 *   <li>{@code parley register NAME}, {@code parley login NAME}: the password is asked for
 *       without echo, or read as one line from stdin when that is not a terminal. Login keeps
 *       server, name and token in {@code credentials.json} in the config directory.
 *   <li>{@code parley logout}, {@code parley users [--online] [--prefix P] [--limit N] [--json]},
 *       {@code parley send NAME TEXT...}, {@code parley history NAME [--limit N] [--json]}: act as
 *       the saved login.
 *   <li>{@code parley search QUERY [--room ROOM|--with NAME] [--limit N] [--json]}: the messages
 *       the user can see that match, newest first.
 *   <li>{@code parley rooms [--json]}: the user's rooms with unread counts. {@code parley room
 *       create NAME [--open] [USER...]} prints the new room's id; {@code parley room
 *       add|remove|leave|join|rename|members ROOM ...} manage it. {@code send}, {@code history} and
 *       {@code upload} take a room as {@code '#ROOM'} or {@code --room ROOM}. A ROOM is an id or a
 *       room's name, resolved among the user's rooms by {@link RoomNames}.
 *   <li>{@code parley upload NAME PATH}: sends a file, with progress on stderr; interrupted, it
 *       resumes when run again (the upload URLs wait in {@code uploads.json} in the config
 *       directory). {@code parley download ID [-o PATH] [--force]}: saves a file, by default under
 *       its sender's name in the current directory; an interrupted download resumes from its
 *       {@code .part}.
 *   <li>{@code parley chat}: an interactive chat at a terminal; logs in at prompts when there is no
 *       saved login.
 *   <li>{@code parley admin create-users|mint-tokens --data-dir DIR ...}: operator commands that
 *       set up benchmark users and tokens straight in the database; not for normal clients.
 *   <li>{@code parley bench ...}: the load generators live in the bench module's own jar, which
 *       the {@code parley} script runs for {@code parley bench}.
 * </ul>
 *
 * <p>Client commands take {@code --server URL} (default {@code $PARLEY_SERVER}, else the server
 * of the saved login, else {@code http://localhost:8080}). The config directory is {@code
 * $PARLEY_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/parley}, else {@code ~/.config/parley}.
 *
 * <p>Exit status: 0 on success; 1 on any failure, with one line {@code parley: <message>} on
 * stderr; 2 on a usage error.
 */
@Command(
    name = "parley",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Parley: a self-hosted chat server and its command-line client.",
    footer = "Benchmarks: 'parley bench help' (the bench module's own jar; see docs/BENCHMARKS.md).",
    subcommands = {
      ServerCommand.class,
      RegisterCommand.class,
      LoginCommand.class,
      LogoutCommand.class,
      UsersCommand.class,
      SendCommand.class,
      HistoryCommand.class,
      SearchCommand.class,
      RoomsCommand.class,
      RoomCommand.class,
      UploadCommand.class,
      DownloadCommand.class,
      DeleteFileCommand.class,
      ChatCommand.class,
      AdminCommand.class,
      CommandLine.HelpCommand.class,
    })
public final class Main implements Runnable {
  private final CliEnvironment environment;

  @Spec private CommandSpec spec;

  public Main(CliEnvironment environment) {
    this.environment = environment;
  }

  public static void main(String[] args) {
    System.exit(commandLine(CliEnvironment.ofProcess()).execute(args));
  }

  /** The command line with its error handling; tests use this with their own environment. */
  public static CommandLine commandLine(CliEnvironment environment) {
    return reportingFailures(new CommandLine(new Main(environment)));
  }

  /**
   * {@code commandLine} with the failure handling every {@code parley} command shares (the bench
   * jar's too): one line {@code parley: <message>} on stderr and exit status 1.
   */
  public static CommandLine reportingFailures(CommandLine commandLine) {
    return commandLine.setExecutionExceptionHandler(Main::reportFailure);
  }

  CliEnvironment environment() {
    return environment;
  }

  /** {@code parley} alone is a usage error: name a command. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a command; see 'parley help'");
  }

  private static int reportFailure(Exception failure, CommandLine command, ParseResult parsed) {
    // Looked up here, not in a static field: starting Logback costs a client command a tenth of
    // its start-up, and only the server and a failure ever log.
    LoggerFactory.getLogger(Main.class).debug("{} failed", command.getCommandName(), failure);
    command.getErr().println("parley: " + TerminalText.visible(describe(failure)));
    command.getErr().flush();
    return 1;
  }

  private static String describe(Throwable failure) {
    if (failure instanceof ParleyClientException refused) {
      if (refused.code() == ErrorCode.UNAUTHORIZED) {
        // Only a saved token gets this (a wrong password is bad_credentials): it expired or was revoked.
        return refused.getMessage() + "; run 'parley login NAME' again";
      }
      if (refused.retryAfterSeconds() != null) {
        return refused.getMessage() + " (try again in " + refused.retryAfterSeconds() + " s)";
      }
    }
    String message = failure.getMessage();
    return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
  }

  /** The version the packaged jar's manifest carries. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"parley " + (version == null ? "(development build)" : version)};
    }
  }
}
