package dev.parley.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.client.JsonUploadUrlStore;
import dev.parley.client.ParleyClient;
import dev.parley.client.UploadOptions;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.OwnServer;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.WsClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley upload}, {@code download} and file messages in {@code history}, in-process against a real server. */
@ParleyServerTest
@OwnServer
class FileCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;

  private final TestServer server;

  FileCommandsTest(TestServer server) {
    this.server = server;
  }

  private InProcessCli loggedIn(String user) {
    return InProcessCli.loggedIn(home, server, user);
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** Sends a file as {@code sender} with {@code parley upload}; returns its id. */
  private static String upload(InProcessCli sender, String to, Path file) {
    InProcessCli.Run run = sender.run("upload", to, file.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return run.out().split(" ")[2];
  }

  @Test
  void uploadSendsTheFileToTheRecipientAndPrintsIdAndSeq(TestUsers users) throws Exception {
    InProcessCli alice = loggedIn("alice");
    loggedIn("bob");
    byte[] bytes = randomBytes(3 << 20, 1);
    Files.write(alice.workingDir().resolve("名单.txt"), bytes);

    try (WsClient bobOnline = WsClient.connect(server.webSocket(), Map.of("Authorization", "Bearer " + users.login("bob").token()))) {
      bobOnline.next(ServerFrame.Welcome.class);

      InProcessCli.Run run = alice.run("upload", "bob", "名单.txt");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      ServerFrame.Message message = bobOnline.next(ServerFrame.Message.class);
      assertThat(message.from()).isEqualTo("alice");
      assertThat(message.file().name()).isEqualTo("名单.txt");
      assertThat(message.file().size()).isEqualTo(bytes.length);
      assertThat(message.file().sha256()).isEqualTo(sha256(bytes));
      assertThat(run.out()).isEqualTo(
          "sent file " + message.file().id() + " (名单.txt, " + bytes.length + " bytes) seq=" + message.seq() + "\n");
      assertThat(run.err()).as("plain progress lines: no terminal").doesNotContain("\r").endsWith("\n");
      assertThat(run.err().lines()).isNotEmpty().allMatch(line -> line.startsWith("名单.txt "));
      assertThat(run.err().lines().toList().getLast()).contains(" 100%  3.1 MB of 3.1 MB ");
    }
  }

  @Test
  void downloadSavesUnderTheSendersNameAndPrintsThePath() throws Exception {
    InProcessCli alice = loggedIn("alice");
    InProcessCli bob = loggedIn("bob");
    byte[] bytes = "张三\n李四\n".getBytes(UTF_8);
    String id = upload(alice, "bob", Files.write(alice.workingDir().resolve("名单.txt"), bytes));

    InProcessCli.Run run = bob.run("download", id);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    Path saved = bob.workingDir().resolve("名单.txt");
    assertThat(run.out()).isEqualTo(saved + "\n");
    assertThat(Files.readAllBytes(saved)).isEqualTo(bytes);
  }

  @Test
  void deleteFileRemovesASentFileSoThatItsDownloadFails() throws Exception {
    InProcessCli alice = loggedIn("alice");
    InProcessCli bob = loggedIn("bob");
    String id = upload(alice, "bob", Files.write(alice.workingDir().resolve("draft.txt"), "oops".getBytes(UTF_8)));

    InProcessCli.Run byRecipient = bob.run("delete-file", id);
    InProcessCli.Run bySender = alice.run("delete-file", id);
    InProcessCli.Run download = bob.run("download", id, "-o", "draft.txt");

    assertThat(byRecipient.exitCode()).as(byRecipient.toString()).isEqualTo(1);
    assertThat(byRecipient.err()).isEqualTo("parley: no such file\n");
    assertThat(bySender.exitCode()).as(bySender.toString()).isZero();
    assertThat(bySender.out()).isEqualTo("deleted file " + id + "\n");
    assertThat(download.exitCode()).as(download.toString()).isEqualTo(1);
    assertThat(download.err()).isEqualTo("parley: the sender deleted this file\n");
    assertThat(bob.workingDir().resolve("draft.txt")).doesNotExist();
  }

  @Test
  void downloadWritesWhereOutputSaysFileOrDirectory() throws Exception {
    InProcessCli alice = loggedIn("alice");
    InProcessCli bob = loggedIn("bob");
    byte[] bytes = randomBytes(1000, 2);
    String id = upload(alice, "bob", Files.write(alice.workingDir().resolve("data.bin"), bytes));
    Files.createDirectories(bob.workingDir().resolve("inbox"));

    InProcessCli.Run toFile = bob.run("download", id, "-o", "copy.bin");
    InProcessCli.Run toDirectory = bob.run("download", id, "--output", "inbox");

    assertThat(toFile.out()).isEqualTo(bob.workingDir().resolve("copy.bin") + "\n");
    assertThat(toDirectory.out()).isEqualTo(bob.workingDir().resolve("inbox/data.bin") + "\n");
    assertThat(Files.readAllBytes(bob.workingDir().resolve("copy.bin"))).isEqualTo(bytes);
    assertThat(Files.readAllBytes(bob.workingDir().resolve("inbox/data.bin"))).isEqualTo(bytes);
  }

  @Test
  void aSecondDownloadOfAPartialFileFetchesOnlyTheRest() throws Exception {
    InProcessCli alice = loggedIn("alice");
    InProcessCli bob = loggedIn("bob");
    byte[] bytes = randomBytes(2 << 20, 3);
    String id = upload(alice, "bob", Files.write(alice.workingDir().resolve("video.mp4"), bytes));
    // What an interrupted 'parley download' leaves: the first half, and the file's ETag beside it.
    int half = bytes.length / 2;
    Files.write(bob.workingDir().resolve("video.mp4.part"), Arrays.copyOf(bytes, half));
    Files.writeString(bob.workingDir().resolve("video.mp4.part.etag"), "\"" + sha256(bytes) + "\"");

    InProcessCli.Run run = bob.run("download", id);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.err()).startsWith("video.mp4: resuming at " + half + " of " + bytes.length + " bytes\n");
    assertThat(Files.readAllBytes(bob.workingDir().resolve("video.mp4"))).isEqualTo(bytes);
    assertThat(bob.workingDir().resolve("video.mp4.part")).doesNotExist();
  }

  @Test
  void downloadRefusesToReplaceAnExistingFileUnlessForced() throws Exception {
    InProcessCli alice = loggedIn("alice");
    InProcessCli bob = loggedIn("bob");
    String id = upload(alice, "bob", Files.writeString(alice.workingDir().resolve("notes.txt"), "new"));
    Path existing = Files.writeString(bob.workingDir().resolve("notes.txt"), "mine");

    InProcessCli.Run refused = bob.run("download", id);
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).isEqualTo("parley: " + existing + " exists; use --force to replace it, or -o PATH\n");
    assertThat(existing).hasContent("mine");

    assertThat(bob.run("download", id, "--force").exitCode()).isZero();
    assertThat(existing).hasContent("new");
  }

  @Test
  void someoneElsesFileIsNotFound() throws Exception {
    InProcessCli alice = loggedIn("alice");
    loggedIn("bob");
    InProcessCli carol = loggedIn("carol");
    String id = upload(alice, "bob", Files.writeString(alice.workingDir().resolve("for-bob.txt"), "private"));

    InProcessCli.Run run = carol.run("download", id);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("parley: no such file\n");
    try (var files = Files.list(carol.workingDir())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("config");
    }
  }

  @Test
  void uploadOfAMissingFileOrToAnUnknownUserExitsOne() throws IOException {
    InProcessCli alice = loggedIn("alice");
    Files.writeString(alice.workingDir().resolve("here.txt"), "x");

    InProcessCli.Run missing = alice.run("upload", "alice", "nowhere.txt");
    InProcessCli.Run unknown = alice.run("upload", "nobody", "here.txt");

    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("parley: no file nowhere.txt\n");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).isEqualTo("parley: no user 'nobody' to send to\n");
  }

  @Test
  void historyShowsFileMessagesWithWhatDownloadNeeds() throws Exception {
    InProcessCli alice = loggedIn("alice");
    InProcessCli bob = loggedIn("bob");
    alice.run("send", "bob", "here it comes");
    String id = upload(alice, "bob", Files.writeString(alice.workingDir().resolve("名单.txt"), "1234"));

    InProcessCli.Run text = bob.run("history", "alice");
    InProcessCli.Run json = bob.run("history", "alice", "--json");

    assertThat(text.out().lines()).satisfiesExactly(
        line -> assertThat(line).endsWith("  alice: here it comes"),
        line -> assertThat(line).endsWith("  alice: [file 名单.txt, 4 bytes, id " + id + "]"));
    JsonNode file = JSON.readTree(json.out()).get(1).get("file");
    assertThat(file.get("id").asText()).isEqualTo(id);
    assertThat(file.get("name").asText()).isEqualTo("名单.txt");
    assertThat(file.get("size").asLong()).isEqualTo(4);
  }

  @Test
  void aSecondUploadAfterAnInterruptionResumesFromTheUrlStore(TestUsers users) throws Exception {
    InProcessCli alice = loggedIn("alice");
    loggedIn("bob");
    byte[] bytes = randomBytes(3 << 20, 4);
    Path file = Files.write(alice.workingDir().resolve("big.bin"), bytes);
    // An interrupted 'parley upload': the upload created, 1 MiB sent, its URL in the config directory.
    String token = users.login("alice").token();
    try (ParleyClient client = new ParleyClient(server.http())) {
      UploadOptions firstMiB = UploadOptions.defaults()
          .withChunkSize(1 << 20)
          .withUrlStore(new JsonUploadUrlStore(alice.configDir().resolve(UploadCommand.URL_STORE)))
          .withProgress((done, total) -> {
            if (done > (1 << 20) + 1000) {
              throw new IllegalStateException("interrupted");
            }
          });
      try {
        client.upload(token, file, "bob", firstMiB);
      } catch (IllegalStateException expected) {
        // The second chunk was cut off; the first is on the server.
      }
    }

    InProcessCli.Run run = alice.run("upload", "bob", "big.bin");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.err()).startsWith("big.bin: resuming at " + (1 << 20) + " of " + bytes.length + " bytes\n");
    String id = run.out().split(" ")[2];
    InProcessCli.Run download = alice.run("download", id, "-o", "copy.bin");
    assertThat(download.exitCode()).as(download.toString()).isZero();
    assertThat(Files.readAllBytes(alice.workingDir().resolve("copy.bin"))).isEqualTo(bytes);
  }
}
