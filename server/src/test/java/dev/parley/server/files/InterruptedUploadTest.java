package dev.parley.server.files;

import static dev.parley.server.testing.Tus.metadata;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Tus;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A body cut off mid-way keeps what arrived; the client resumes from there. */
@ParleyServerTest
class InterruptedUploadTest {
  private static Tus tus;
  private static String alice;

  @BeforeAll
  static void logInAliceAndBob(Tus client, TestUsers users) {
    tus = client;
    alice = users.create("alice").token();
    users.create("bob");
  }

  /** CPU time of the server's file-writing threads, which live in this JVM. */
  private static long fileThreadsCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("parley-files-")) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  private static long offset(String path) {
    return Long.parseLong(tus.head(alice, path).headers().firstValue("Upload-Offset").orElseThrow());
  }

  @Test
  void aDroppedConnectionKeepsWhatArrivedAndTheUploadResumes() throws Exception {
    byte[] file = new byte[3 << 20];
    new Random(11).nextBytes(file);
    String sha256 = Tus.sha256Hex(file);
    String path = tus.createdPath(alice, file.length, metadata(Map.of("filename", "cut.bin", "to", "bob", "sha256", sha256)));

    int arrived = 1 << 20;
    Socket cut = tus.startPatch(alice, path, 0, file.length, Arrays.copyOfRange(file, 0, arrived));
    cut.close();

    await().atMost(Duration.ofSeconds(10)).until(() -> offset(path) == arrived);
    // Nothing keeps working on the dropped request once it has been given up.
    long cpuAfterDrop = fileThreadsCpuNanos();
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
        .until(() -> fileThreadsCpuNanos() - cpuAfterDrop < 50_000_000L);
    HttpResponse<String> rest = tus.patch(alice, path, arrived, Arrays.copyOfRange(file, arrived, file.length));
    assertThat(rest.statusCode()).isEqualTo(204);
    assertThat(rest.headers().firstValue("Upload-Offset")).hasValue(String.valueOf(file.length));
  }

  @Test
  void aSecondWriterWhileOneIsActiveIsLocked() throws Exception {
    String path = tus.createdPath(alice, 100, metadata(Map.of("filename", "busy.bin", "to", "bob")));
    try (Socket first = tus.startPatch(alice, path, 0, 100, new byte[10])) {
      // The first PATCH takes the lock once authenticated; until then the probe may run itself
      // (an empty body changes nothing), so ask until it meets the lock.
      await().atMost(Duration.ofSeconds(10))
          .until(() -> tus.patch(alice, path, 0, new byte[0]).statusCode() == 423);
      assertThat(tus.delete(alice, path).statusCode()).isEqualTo(423);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> tus.delete(alice, path).statusCode() == 204);
  }
}
