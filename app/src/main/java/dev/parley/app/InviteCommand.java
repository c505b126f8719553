package dev.parley.app;

import dev.parley.protocol.ParleyException;
import dev.parley.server.account.InviteCodes;
import dev.parley.server.admin.OperatorAccounts;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Makes an invite code offline, straight in the data directory, for {@code registration = invite}. */
@Command(
    name = "invite",
    mixinStandardHelpOptions = true,
    description = {
      "Create an invite code for registering, and print it with its link path (/#invite=CODE).",
      "Only its hash is stored: the code is shown once. Works while the server runs."
    })
final class InviteCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @ParentCommand private AdminCommand admin;

  @Mixin private DataDirectory dataDirectory;

  @Option(names = "--uses", defaultValue = "1", paramLabel = "N", description = "How many registrations it allows (default: 1).")
  private int uses;

  @Option(names = "--expires", paramLabel = "TIME", description = "Lifetime: 30m, 12h or 7d (default: never expires).")
  private String expires;

  @Override
  public Integer call() {
    Duration lifetime;
    try {
      lifetime = expires == null ? null : InviteCodes.parseLifetime(expires);
    } catch (ParleyException e) {
      throw new CommandFailedException("--expires " + e.getMessage().substring("expires ".length()));
    }
    String code;
    try (OperatorAccounts accounts = dataDirectory.locate(admin.environment()).openAccounts()) {
      code = accounts.createInvite(uses, lifetime);
    } catch (IllegalArgumentException e) {
      throw new CommandFailedException(e.getMessage());
    }
    spec.commandLine().getOut().println(code);
    spec.commandLine().getOut().println("share: http://HOST:PORT/#invite=" + code);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
