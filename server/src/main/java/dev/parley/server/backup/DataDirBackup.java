package dev.parley.server.backup;

import dev.parley.server.files.BlobStorage;
import dev.parley.server.store.DatabaseSnapshot;
import dev.parley.server.store.PrivateFiles;
import dev.parley.server.store.StoreProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Backs up a data directory while its server runs, and restores a backup into an empty one. A
 * backup is the database as of one moment (see {@link StoreProvider#snapshot}) plus the bytes of
 * every file that copy references, which are immutable once complete, the data directory's
 * settings file when it has one, and a {@link BackupManifest}. A file deleted between the copy of
 * the database and the copy of its bytes is recorded as deleted in the backup. Stateless.
 */
public final class DataDirBackup {
  private static final String FILES = "files";
  /** The settings file the server finds in its data directory; backed up with it when there. */
  private static final String SETTINGS_FILE = "parley.properties";

  private DataDirBackup() {}

  /**
   * Writes a backup of {@code dataDir} into {@code target}, which must be missing or empty.
   *
   * @throws BackupException when the target is not empty or the data directory has no database
   */
  public static BackupManifest backUp(Path dataDir, Path target) throws IOException {
    requireEmpty(target, "backup directory");
    PrivateFiles.directory(target);
    PrivateFiles.directory(target.resolve(FILES));
    String database = StoreProvider.databaseFileName();
    DatabaseSnapshot snapshot = StoreProvider.snapshot(dataDir, target.resolve(database));
    BlobStorage blobs = new BlobStorage(dataDir);
    List<String> gone = new ArrayList<>();
    List<String> copied = new ArrayList<>();
    for (String id : snapshot.liveFileIds()) {
      try {
        copy(blobs.file(id), target.resolve(FILES).resolve(id));
        copied.add(id);
      } catch (NoSuchFileException e) {
        gone.add(id);
      }
    }
    snapshot.markFilesDeleted(gone, System.currentTimeMillis());
    List<BackupManifest.Entry> entries = new ArrayList<>();
    entries.add(entry(target, database));
    if (Files.isRegularFile(dataDir.resolve(SETTINGS_FILE))) {
      copy(dataDir.resolve(SETTINGS_FILE), target.resolve(SETTINGS_FILE));
      entries.add(entry(target, SETTINGS_FILE));
    }
    for (String id : copied) {
      entries.add(entry(target, FILES + "/" + id));
    }
    BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT, System.currentTimeMillis(), snapshot.counts(), entries);
    manifest.write(target);
    sync(target);
    return manifest;
  }

  /**
   * Restores the backup in {@code source} into {@code dataDir}, which must be missing or empty.
   * Every file is checked against the manifest before anything is written.
   *
   * @throws BackupException when the backup is incomplete or damaged, or the data directory is not empty
   */
  public static BackupManifest restore(Path source, Path dataDir) throws IOException {
    if (!Files.isRegularFile(source.resolve(BackupManifest.FILE_NAME))) {
      throw new BackupException("no " + BackupManifest.FILE_NAME + " in " + source + ": not a Parley backup, or an unfinished one");
    }
    BackupManifest manifest = BackupManifest.read(source);
    if (manifest.format() != BackupManifest.FORMAT) {
      throw new BackupException("backup format " + manifest.format() + " is not one this version reads (" + BackupManifest.FORMAT + ")");
    }
    requireEmpty(dataDir, "data directory");
    for (BackupManifest.Entry entry : manifest.entries()) {
      BackupManifest.Entry actual = entry(source, entry.path());
      if (!actual.equals(entry)) {
        throw new BackupException(
            "backup file " + entry.path() + " is damaged: " + actual.size() + " bytes, sha256 " + actual.sha256()
                + ", the manifest says " + entry.size() + " bytes, sha256 " + entry.sha256());
      }
    }
    PrivateFiles.directory(dataDir);
    new BlobStorage(dataDir);
    for (BackupManifest.Entry entry : manifest.entries()) {
      copy(source.resolve(entry.path()), dataDir.resolve(entry.path()));
    }
    sync(dataDir);
    return manifest;
  }

  /** A path of the manifest, read and hashed; it must name a file inside {@code directory}. */
  private static BackupManifest.Entry entry(Path directory, String path) throws IOException {
    Path file = directory.resolve(path).normalize();
    if (!file.startsWith(directory.normalize()) || !Files.isRegularFile(file)) {
      throw new BackupException("backup file " + path + " is missing");
    }
    MessageDigest digest = BlobStorage.sha256();
    long size;
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      size = in.transferTo(OutputStream.nullOutputStream());
    }
    return new BackupManifest.Entry(path, size, HexFormat.of().formatHex(digest.digest()));
  }

  /** Copies a file owner-only and forces it to disk. */
  private static void copy(Path from, Path to) throws IOException {
    try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(
            to, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), PrivateFiles.fileAttributes())) {
      long size = in.size();
      for (long position = 0; position < size; ) {
        position += in.transferTo(position, size - position, out);
      }
      out.force(true);
    }
  }

  private static void requireEmpty(Path directory, String what) throws IOException {
    if (Files.exists(directory) && !Files.isDirectory(directory)) {
      throw new BackupException("the " + what + " " + directory + " exists and is not a directory");
    }
    if (Files.isDirectory(directory)) {
      try (Stream<Path> children = Files.list(directory)) {
        if (children.findAny().isPresent()) {
          throw new BackupException("the " + what + " " + directory + " is not empty; name a new or empty one");
        }
      }
    }
  }

  /** Makes the new directory entries durable (the files themselves were forced as they were written). */
  private static void sync(Path directory) throws IOException {
    for (Path dir : List.of(directory, directory.resolve(FILES))) {
      try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
        channel.force(true);
      }
    }
  }
}
