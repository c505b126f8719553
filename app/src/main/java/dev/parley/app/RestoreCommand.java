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

/** {@code parley admin restore --from DIR}: a backup into a new or empty data directory, checked first. */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = {
      "Restore a backup made by 'parley admin backup' into the data directory, which must be new or empty.",
      "Every file is checked against the backup's manifest (size and SHA-256) before anything is written."
    })
final class RestoreCommand implements Callable<Integer> {
  @ParentCommand private AdminCommand admin;
  @Spec private CommandSpec spec;
  @Mixin private DataDirectory dataDirectory;

  @Option(names = "--from", required = true, paramLabel = "DIR", description = "The backup directory.")
  private String source;

  @Override
  public Integer call() throws IOException {
    CliEnvironment environment = admin.environment();
    Path dataDir = dataDirectory.locate(environment).sqliteDataDir("parley admin restore");
    Path from = environment.resolve(source);
    BackupManifest manifest = DataDirBackup.restore(from, dataDir);
    PrintWriter out = spec.commandLine().getOut();
    out.println("restored " + from + " into " + dataDir + ": " + ManifestText.describe(manifest));
    out.flush();
    return 0;
  }
}
