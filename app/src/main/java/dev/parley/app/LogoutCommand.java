package dev.parley.app;

import dev.parley.client.ParleyClientException;
import dev.parley.protocol.ErrorCode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "logout",
    mixinStandardHelpOptions = true,
    description = "Revoke the saved login's token on the server, then forget it.")
final class LogoutCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private ServerOption server;

  @Override
  public Integer call() {
    try (SignedIn signedIn = server.signedIn(main.environment())) {
      try {
        signedIn.client().logout(signedIn.token());
      } catch (ParleyClientException e) {
        // A token the server no longer knows (expired, revoked elsewhere) is as logged out as it gets.
        if (e.code() != ErrorCode.UNAUTHORIZED) {
          throw e;
        }
      }
      // Reached only when the server answered. Had it been unreachable, the token would still be
      // valid, and the file stays so that a retry can revoke it.
      new CredentialsFile(main.environment().configDir()).delete();
      spec.commandLine().getOut().println("logged out " + signedIn.login().username());
    }
    return 0;
  }
}
