package dev.parley.app;

import dev.parley.server.admin.OperatorAccounts;
import dev.parley.server.admin.OperatorAccounts.MintedToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Inserts a fresh login token for each of PREFIX0 … PREFIX(N-1) and writes {@code
 * username<TAB>token} lines, in that order, to a file only its owner can read: the tokens are
 * live credentials until they expire.
 */
@Command(
    name = "mint-tokens",
    mixinStandardHelpOptions = true,
    description = {
      "Insert a new login token for each of PREFIX0..PREFIX(N-1) and write 'username<TAB>token' lines to FILE (mode 600).",
      "For benchmarks only: it skips login and its rate limits. Works while the server runs."
    })
final class MintTokensCommand implements Callable<Integer> {
  @ParentCommand private AdminCommand admin;
  @Spec private CommandSpec spec;

  @Mixin private BenchUsers range;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where the tokens go; replaced if it exists.")
  private Path out;

  @Override
  public Integer call() {
    List<String> names = range.names();
    List<MintedToken> minted;
    try (OperatorAccounts accounts = range.location(admin.environment()).openAccounts()) {
      minted = accounts.mintTokens(names);
    } catch (IllegalArgumentException e) {
      throw new CommandFailedException(e.getMessage() + "; run 'parley admin create-users' first");
    }
    StringBuilder lines = new StringBuilder();
    for (MintedToken token : minted) {
      lines.append(token.username()).append('\t').append(token.token()).append('\n');
    }
    writePrivate(lines.toString());
    spec.commandLine().getOut().println("minted " + names.size() + " tokens into " + out);
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** Created as 600 before any token is written, so the tokens are never readable by others. */
  private void writePrivate(String content) {
    try {
      Files.deleteIfExists(out);
      Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(out, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out, e);
    }
  }
}
