package dev.parley.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.Http;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.Tus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever the umask, nobody but the server's user can read the data directory. */
class DataDirPermissionsTest {
  @Test
  void theDataDirectoryIsOwnerOnlyAndSoIsEveryFileInIt(@TempDir Path parent) throws IOException {
    Path dataDir = parent.resolve("data");
    try (TestServer server = TestServer.startOn(dataDir, Map.of())) {
      Http http = new Http(server.http());
      String alice = http.registerAndLogin("alice", "secret123");
      http.registerAndLogin("bob", "secret123");
      Tus tus = new Tus(server.http());
      tus.uploadWhole(alice, new byte[] {1, 2, 3}, "done.bin", "bob");
      String unfinished = tus.createdPath(alice, 10, Tus.metadata(Map.of("filename", "half.bin", "to", "bob")));
      tus.patch(alice, unfinished, 0, new byte[5]);

      List<Path> all;
      try (Stream<Path> walk = Files.walk(dataDir)) {
        all = walk.toList();
      }
      assertThat(all).extracting(p -> dataDir.relativize(p).toString())
          .contains("parley.db", "parley.db-wal", "parley.db-shm", "files", "uploads");
      assertThat(all).filteredOn(p -> p.getParent() != null && p.getParent().getFileName().toString().equals("files")).hasSize(1);
      assertThat(all).filteredOn(p -> p.toString().endsWith(".part")).hasSize(1);
      for (Path path : all) {
        String expected = Files.isDirectory(path) ? "rwx------" : "rw-------";
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).as(path.toString()).isEqualTo(expected);
      }
    }
  }
}
