package dev.parley.app;

import dev.parley.protocol.ServerFrame.UserEntry;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "users",
    mixinStandardHelpOptions = true,
    description = "List users sorted by name; '*' marks those online now.")
final class UsersCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private ServerOption server;

  @Option(names = "--online", description = "Only users online now.")
  private boolean onlineOnly;

  @Option(names = "--prefix", paramLabel = "P", description = "Only names starting with P, ignoring case.")
  private String prefix;

  @Option(names = "--limit", paramLabel = "N", description = "At most N users (the server caps it; default: its page size).")
  private Integer limit;

  @Option(names = "--json", description = "Print a JSON array of {username, online}.")
  private boolean json;

  @Override
  public Integer call() {
    List<UserEntry> users;
    try (SignedIn signedIn = server.signedIn(main.environment())) {
      users = signedIn.client().users(signedIn.token(), onlineOnly, prefix, limit);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JsonOutput.of(users));
    } else {
      users.forEach(user -> out.println((user.online() ? "* " : "  ") + TerminalText.visible(user.username())));
    }
    return 0;
  }
}
