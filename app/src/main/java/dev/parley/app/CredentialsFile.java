package dev.parley.app;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * {@code credentials.json} in the config directory. The token in it is as good as the password
 * until it expires, so on POSIX systems the directory is 700 and the file 600 from the moment it
 * exists (never created open and narrowed later), and it is replaced atomically.
 */
final class CredentialsFile {
  static final String FILE_NAME = "credentials.json";
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  /** Unknown fields are kept out of the way, so an older parley can read what a newer one wrote. */
  private final ObjectMapper json =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private final Path dir;
  private final Path file;

  CredentialsFile(Path dir) {
    this.dir = dir;
    this.file = dir.resolve(FILE_NAME);
  }

  Path path() {
    return file;
  }

  Optional<SavedLogin> load() {
    try {
      SavedLogin login = json.readValue(Files.readAllBytes(file), SavedLogin.class);
      if (login.server() == null || login.username() == null || login.token() == null) {
        throw new CommandFailedException(file + " is incomplete; run 'parley login NAME' again");
      }
      return Optional.of(login);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new CommandFailedException("cannot read " + file + ": " + e.getMessage());
    }
  }

  void save(SavedLogin login) {
    try {
      Files.createDirectories(dir, privateTo("rwx------"));
      if (POSIX) {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      }
      Path temp = Files.createTempFile(dir, FILE_NAME, ".tmp", privateTo("rw-------"));
      try {
        Files.write(temp, json.writeValueAsBytes(login));
        move(temp);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the login to " + file + ": " + e.getMessage(), e);
    }
  }

  /** Whether there was a file to delete. */
  boolean delete() {
    try {
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file + ": " + e.getMessage(), e);
    }
  }

  private void move(Path temp) throws IOException {
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static FileAttribute<?>[] privateTo(String permissions) {
    return POSIX
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))}
        : new FileAttribute<?>[0];
  }
}
