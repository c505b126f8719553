package dev.parley.server.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.parley.server.store.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@value #FILE_NAME} in a backup directory: what the backup holds and how to check it. Written
 * last, so a backup without one is incomplete. {@code entries} are paths relative to the backup
 * directory (the database file and {@code files/<id>}), each with its size and SHA-256.
 */
public record BackupManifest(int format, long createdAtMillis, Map<String, Long> counts, List<Entry> entries) {
  public static final String FILE_NAME = "manifest.json";
  static final int FORMAT = 1;
  private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  public BackupManifest {
    counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    entries = List.copyOf(entries);
  }

  /** One file of the backup. */
  public record Entry(String path, long size, String sha256) {}

  void write(Path directory) throws IOException {
    Path file = directory.resolve(FILE_NAME);
    Files.createFile(file, PrivateFiles.fileAttributes());
    JSON.writeValue(file.toFile(), this);
  }

  static BackupManifest read(Path directory) throws IOException {
    return JSON.readValue(directory.resolve(FILE_NAME).toFile(), BackupManifest.class);
  }
}
