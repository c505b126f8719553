package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonUploadUrlStoreTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final URI URL = URI.create("http://127.0.0.1:8080/api/v1/uploads/0123456789abcdef0123456789abcdef");

  @TempDir Path temp;

  private JsonUploadUrlStore store(Path file) {
    return new JsonUploadUrlStore(file, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void entriesOutliveTheStoreObjectAndCanBeForgotten() {
    Path file = temp.resolve("config/uploads.json");
    UploadUrlStore.Entry entry = new UploadUrlStore.Entry(URL, "ab".repeat(32), NOW.toEpochMilli());
    store(file).remember("名单.txt key", entry);

    assertThat(store(file).find("名单.txt key")).contains(entry);
    assertThat(store(file).find("other")).isEmpty();

    store(file).forget("名单.txt key");
    assertThat(store(file).find("名单.txt key")).isEmpty();
  }

  @Test
  void theFileIsReadableByItsOwnerOnly() throws IOException {
    Path file = temp.resolve("uploads.json");
    store(file).remember("k", new UploadUrlStore.Entry(URL, null, NOW.toEpochMilli()));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void entriesOlderThanTheMaximumAgeAreDropped() {
    Path file = temp.resolve("uploads.json");
    long tooOld = NOW.minus(JsonUploadUrlStore.MAX_AGE).toEpochMilli() - 1;
    store(file).remember("old", new UploadUrlStore.Entry(URL, null, tooOld));
    store(file).remember("new", new UploadUrlStore.Entry(URL, null, NOW.toEpochMilli()));

    assertThat(store(file).find("old")).isEmpty();
    assertThat(store(file).find("new")).isPresent();
  }

  @Test
  void aDamagedFileCountsAsEmptyAndIsReplaced() throws IOException {
    Path file = Files.writeString(temp.resolve("uploads.json"), "{not json");

    assertThat(store(file).find("k")).isEmpty();
    store(file).remember("k", new UploadUrlStore.Entry(URL, null, NOW.toEpochMilli()));
    assertThat(store(file).find("k")).isPresent();
  }
}
