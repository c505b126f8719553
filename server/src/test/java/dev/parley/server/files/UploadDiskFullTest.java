package dev.parley.server.files;

import static dev.parley.server.testing.Tus.metadata;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.SmallFileSystem;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Tus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** An upload cut off by a full disk resumes, once there is room, into a file with the right SHA-256. */
class UploadDiskFullTest {
  /**
   * The file bytes live on the small file system and the database does not, so the upload's
   * progress is recorded when the disk fills mid-body: the resumed PATCH builds on its digest.
   */
  @Test
  void anUploadResumedAfterTheDiskFilledUpMatchesItsDeclaredSha256() throws IOException {
    Path dataDir = Files.createTempDirectory("parley-test");
    try (SmallFileSystem disk = SmallFileSystem.mount("24m")) {
      for (String blobs : new String[] {"uploads", "files"}) {
        Files.createSymbolicLink(dataDir.resolve(blobs), Files.createDirectory(disk.root().resolve(blobs)));
      }
      try (TestServer server = TestServer.startOn(dataDir, Map.of())) {
        TestUsers users = new TestUsers(server);
        Tus tus = new Tus(server.http());
        String alice = users.create("alice").token();
        users.create("bob");
        byte[] file = new byte[8 << 20];
        new Random(7).nextBytes(file);
        String path = tus.createdPath(
            alice, file.length, metadata(Map.of("filename", "big.bin", "to", "bob", "sha256", Tus.sha256Hex(file))));
        Path filler = disk.fillLeaving(3 << 20);

        try {
          HttpResponse<String> cut = tus.patch(alice, path, 0, file);
          assertThat(cut.statusCode()).as("a PATCH onto a full disk").isEqualTo(507);
        } catch (UncheckedIOException refusedMidBody) {
          // The server may answer and close before the whole body is sent.
        }
        long offset = Long.parseLong(tus.head(alice, path).headers().firstValue("Upload-Offset").orElseThrow());
        assertThat(offset).isPositive().isLessThan(file.length);

        deleteQuietly(filler);
        HttpResponse<String> rest = tus.patch(alice, path, offset, Arrays.copyOfRange(file, (int) offset, file.length));
        assertThat(rest.statusCode()).as("the resumed PATCH: %s", rest.body()).isEqualTo(204);
        assertThat(rest.headers().firstValue("Upload-Offset")).hasValue(String.valueOf(file.length));
      }
    } finally {
      TestServer.deleteRecursively(dataDir);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.delete(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
