package dev.parley.app;

import dev.parley.server.backup.BackupManifest;
import java.util.stream.Collectors;

/** A backup's contents in one line, for the operator. */
final class ManifestText {
  private ManifestText() {}

  static String describe(BackupManifest manifest) {
    long bytes = manifest.entries().stream().mapToLong(BackupManifest.Entry::size).sum();
    return manifest.counts().entrySet().stream().map(count -> count.getValue() + " " + count.getKey()).collect(Collectors.joining(", "))
        + "; " + manifest.entries().size() + " files checked, " + bytes + " bytes";
  }
}
