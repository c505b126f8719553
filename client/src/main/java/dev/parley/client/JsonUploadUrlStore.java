package dev.parley.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An {@link UploadUrlStore} in one small JSON file, so that uploads resume across processes. The
 * file is read on every call and replaced atomically on every change, so a crash never leaves it
 * half-written. Thread-safe within a process; two processes writing at once may lose one entry,
 * which only costs that upload its resume. Entries older than {@link #MAX_AGE} are dropped: the
 * server has long expired those uploads (after a day, by default).
 *
 * <p>The file names the paths of files being uploaded, so on POSIX systems it is readable by its
 * owner only.
 */
public final class JsonUploadUrlStore implements UploadUrlStore {
  public static final Duration MAX_AGE = Duration.ofDays(7);
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final TypeReference<Map<String, Entry>> ENTRIES = new TypeReference<>() {};

  private final ObjectMapper json =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private final Path file;
  private final Clock clock;

  public JsonUploadUrlStore(Path file) {
    this(file, Clock.systemUTC());
  }

  JsonUploadUrlStore(Path file, Clock clock) {
    this.file = file.toAbsolutePath();
    this.clock = clock;
  }

  public Path file() {
    return file;
  }

  @Override
  public synchronized Optional<Entry> find(String key) {
    return Optional.ofNullable(read().get(key));
  }

  @Override
  public synchronized void remember(String key, Entry entry) {
    Map<String, Entry> entries = read();
    entries.put(key, entry);
    write(entries);
  }

  @Override
  public synchronized void forget(String key) {
    Map<String, Entry> entries = read();
    if (entries.remove(key) != null) {
      write(entries);
    }
  }

  /** Current entries; an unreadable file counts as empty, since it only ever costs resumes. */
  private Map<String, Entry> read() {
    Map<String, Entry> entries;
    try {
      entries = json.readValue(Files.readAllBytes(file), ENTRIES);
    } catch (IOException e) {
      return new LinkedHashMap<>(); // none yet, or damaged: either way there is nothing to resume
    }
    long oldest = clock.millis() - MAX_AGE.toMillis();
    Map<String, Entry> fresh = new LinkedHashMap<>();
    entries.forEach((key, entry) -> {
      if (entry != null && entry.url() != null && entry.savedAtMillis() >= oldest) {
        fresh.put(key, entry);
      }
    });
    return fresh;
  }

  private void write(Map<String, Entry> entries) {
    try {
      Path dir = file.getParent();
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp", ownerOnly());
      try {
        Files.write(temp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(entries));
        try {
          Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save upload URLs to " + file + ": " + e.getMessage(), e);
    }
  }

  private static FileAttribute<?>[] ownerOnly() {
    return POSIX
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
  }
}
