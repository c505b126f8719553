package dev.parley.app;

import dev.parley.server.backup.BackupManifest;
import dev.parley.server.backup.DataDirBackup;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code parley admin backup --to DIR}: a consistent backup of a data directory, safe while its server runs. */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description = {
      "Back up the data directory into DIR (new or empty): the database as of one moment, the files its",
      "messages point to, and manifest.json with counts and SHA-256 sums. Safe while the server runs."
    })
final class BackupCommand implements Callable<Integer> {
  @ParentCommand private AdminCommand admin;
  @Spec private CommandSpec spec;
  @Mixin private DataDirectory dataDirectory;

  @Option(names = "--to", required = true, paramLabel = "DIR", description = "Where to write the backup; must be new or empty.")
  private String target;

  @Override
  public Integer call() throws IOException {
    CliEnvironment environment = admin.environment();
    Path dataDir = dataDirectory.locate(environment).sqliteDataDir("parley admin backup");
    Path to = environment.resolve(target);
    BackupManifest manifest = DataDirBackup.backUp(dataDir, to);
    PrintWriter out = spec.commandLine().getOut();
    out.println("backed up " + dataDir + " to " + to + ": " + ManifestText.describe(manifest));
    out.flush();
    return 0;
  }
}
