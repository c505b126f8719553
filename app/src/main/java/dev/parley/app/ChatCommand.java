package dev.parley.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    description = {
      "Chat interactively at a terminal: messages, presence and files appear above the prompt.",
      "Logs in at prompts (or registers) when there is no saved login. Type /help in it for the commands."
    })
final class ChatCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Mixin private ServerOption server;

  @Override
  public Integer call() {
    CliEnvironment environment = main.environment();
    if (environment.console() == null) {
      throw new CommandFailedException("parley chat needs a terminal; scripts can use parley send, history and users");
    }
    try (Terminal terminal = TerminalBuilder.builder().name("parley").system(true).build()) {
      new ChatTerminal(terminal, environment, server, ChatSession.Settings.defaults(), Clock.systemDefaultZone()).run();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the terminal: " + e.getMessage(), e);
    }
    return 0;
  }
}
