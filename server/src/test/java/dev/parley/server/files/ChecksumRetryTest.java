package dev.parley.server.files;

import static dev.parley.server.testing.Tus.metadata;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.Http;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Tus;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A body refused for its checksum costs only itself: the retry does not re-read the partial file. */
@ParleyServerTest
class ChecksumRetryTest {
  @Test
  void bodiesRefusedForTheirChecksumDoNotMakeTheServerRehashThePartialFile(TestServer server, TestUsers users, Tus tus) {
    String alice = users.create("alice").token();
    users.create("bob");
    byte[] file = new byte[(2 << 20) + 4096];
    new Random(5).nextBytes(file);
    String path = tus.createdPath(
        alice, file.length, metadata(Map.of("filename", "f.bin", "to", "bob", "sha256", Tus.sha256Hex(file))));
    int first = 2 << 20;
    assertThat(tus.patch(alice, path, 0, Arrays.copyOfRange(file, 0, first)).statusCode()).isEqualTo(204);
    byte[] rest = Arrays.copyOfRange(file, first, file.length);
    Map<String, String> wrongChecksum = Map.of("Upload-Checksum", Tus.checksum("sha256", new byte[] {1}));
    long rehashedBefore = rehashedBytes(server);

    for (int attempt = 0; attempt < 3; attempt++) {
      assertThat(tus.patch(alice, path, first, rest, wrongChecksum).statusCode()).isEqualTo(460);
    }
    assertThat(tus.patch(alice, path, first, rest, Map.of("Upload-Checksum", Tus.checksum("sha256", rest))).statusCode())
        .as("the last body, with its right checksum, completes a file of the declared SHA-256")
        .isEqualTo(204);

    assertThat(rehashedBytes(server) - rehashedBefore).isZero();
  }

  /** From the admin listener, which serves {@code /metrics}. */
  private static long rehashedBytes(TestServer server) {
    return new Http(server.admin()).get("/metrics", null).raw().body().lines()
        .filter(line -> line.startsWith("parley_uploads_rehashed_bytes_total "))
        .map(line -> (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no parley_uploads_rehashed_bytes_total in /metrics"));
  }
}
