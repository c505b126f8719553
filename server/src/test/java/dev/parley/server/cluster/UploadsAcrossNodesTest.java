package dev.parley.server.cluster;

import static dev.parley.server.testing.Tus.metadata;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Tus;
import dev.parley.server.testing.TwoNodes;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * tus uploads on two nodes that share one PostgreSQL database and one files directory: an upload
 * resumes on the other node, one request at a time writes to it whichever node each arrives on,
 * and the file downloads, in ranges, from either.
 */
class UploadsAcrossNodesTest {
  private static TwoNodes nodes;
  private static Tus first;
  private static Tus second;
  private static String alice;
  private static String bob;

  @BeforeAll
  static void startTwoNodes() {
    nodes = TwoNodes.start(Map.of());
    first = new Tus(nodes.first().http());
    second = new Tus(nodes.second().http());
    alice = new TestUsers(nodes.first()).create("alice").token();
    bob = new TestUsers(nodes.second()).create("bob").token();
  }

  @AfterAll
  static void stopNodes() {
    nodes.close();
  }

  private static long offset(Tus node, String path) {
    return Long.parseLong(node.head(alice, path).headers().firstValue("Upload-Offset").orElseThrow());
  }

  @Test
  void anUploadStartedOnOneNodeResumesOnTheOtherAndDownloadsInRangesFromBoth() {
    byte[] file = new byte[200_000];
    new Random(15).nextBytes(file);
    String path = first.createdPath(alice, file.length,
        metadata(Map.of("filename", "报告.pdf", "to", "bob", "sha256", Tus.sha256Hex(file))));
    assertThat(first.patch(alice, path, 0, Arrays.copyOfRange(file, 0, 80_000)).statusCode()).isEqualTo(204);

    assertThat(offset(second, path)).isEqualTo(80_000);
    HttpResponse<String> rest = second.patch(alice, path, 80_000, Arrays.copyOfRange(file, 80_000, file.length));
    assertThat(rest.statusCode()).isEqualTo(204);
    assertThat(rest.headers().firstValue("Upload-Offset")).hasValue(String.valueOf(file.length));

    String fileId = path.substring(path.lastIndexOf('/') + 1);
    for (Tus node : new Tus[] {first, second}) {
      HttpResponse<byte[]> part = node.download(bob, fileId, Map.of("Range", "bytes=1000-1999"));
      assertThat(part.statusCode()).isEqualTo(206);
      assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 1000-1999/" + file.length);
      assertThat(part.body()).isEqualTo(Arrays.copyOfRange(file, 1000, 2000));
      assertThat(node.download(bob, fileId, Map.of()).body()).isEqualTo(file);
    }
  }

  @Test
  void aSecondWriterOnTheOtherNodeIsLockedUntilTheFirstClientIsGone() throws Exception {
    String path = first.createdPath(alice, 100, metadata(Map.of("filename", "busy.bin", "to", "bob")));
    try (Socket writer = first.startPatch(alice, path, 0, 100, new byte[10])) {
      // The first PATCH takes the lock once authenticated; until then the probe may run itself
      // (an empty body changes nothing), so ask until it meets the lock.
      await().atMost(Duration.ofSeconds(10)).until(() -> second.patch(alice, path, 0, new byte[0]).statusCode() == 423);
      HttpResponse<String> locked = second.patch(alice, path, 0, new byte[100]);
      assertThat(locked.statusCode()).isEqualTo(423);
      assertThat(locked.body()).contains("upload_locked");
      assertThat(second.delete(alice, path).statusCode()).isEqualTo(423);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> offset(second, path) == 10);
    HttpResponse<String> resumed = second.patch(alice, path, 10, new byte[90]);
    assertThat(resumed.statusCode()).isEqualTo(204);
    assertThat(resumed.headers().firstValue("Upload-Offset")).hasValue("100");
  }

  @Test
  void aNodeStoppedInTheMiddleOfAPatchLeavesTheUploadToTheOther() throws Exception {
    try (TwoNodes pair = TwoNodes.start(Map.of())) {
      Tus doomed = new Tus(pair.first().http());
      Tus survivor = new Tus(pair.second().http());
      String carol = new TestUsers(pair.first()).create("carol").token();
      new TestUsers(pair.second()).create("dave");
      byte[] file = new byte[50_000];
      new Random(16).nextBytes(file);
      String path = doomed.createdPath(carol, file.length, metadata(Map.of("filename", "半途.bin", "to", "dave")));
      try (Socket writer = doomed.startPatch(carol, path, 0, file.length, Arrays.copyOfRange(file, 0, 20_000))) {
        await().atMost(Duration.ofSeconds(10)).until(() -> survivor.patch(carol, path, 0, new byte[0]).statusCode() == 423);
        pair.first().close();
      }
      long kept = Long.parseLong(survivor.head(carol, path).headers().firstValue("Upload-Offset").orElseThrow());
      assertThat(kept).isBetween(0L, 20_000L);
      HttpResponse<String> rest = survivor.patch(carol, path, kept, Arrays.copyOfRange(file, (int) kept, file.length));
      assertThat(rest.statusCode()).isEqualTo(204);
      String fileId = path.substring(path.lastIndexOf('/') + 1);
      assertThat(survivor.download(carol, fileId, Map.of()).body()).isEqualTo(file);
    }
  }
}
