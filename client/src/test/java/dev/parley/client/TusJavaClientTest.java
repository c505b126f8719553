package dev.parley.client;

import static dev.parley.client.TransferFixture.randomBytes;
import static dev.parley.client.TransferFixture.serverOffset;
import static dev.parley.client.TransferFixture.sha256;
import static dev.parley.client.TransferFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.TransferFixture.Recipient;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.OwnServer;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference tus client (tus-java-client, on HttpURLConnection) against our server: chunked
 * request bodies, PATCH tunnelled as POST with X-HTTP-Method-Override, Expect: 100-continue, and
 * its own resume through its URL store.
 */
@ParleyServerTest
@OwnServer
class TusJavaClientTest {
  private static final int KIB = 1 << 10;

  @TempDir Path temp;

  private final TestServer server;
  private final String alice;
  private final String bob;

  TusJavaClientTest(TestServer server, TestUsers users) {
    this.server = server;
    alice = users.create("alice").token();
    bob = users.create("bob").token();
  }

  private TusClient tusClient() throws Exception {
    TusClient tus = new TusClient();
    tus.setUploadCreationURL(server.http().resolve("/api/v1/uploads").toURL());
    tus.setHeaders(Map.of("Authorization", "Bearer " + alice));
    return tus;
  }

  private static TusUpload upload(Path file) throws Exception {
    TusUpload upload = new TusUpload(file.toFile());
    upload.setMetadata(Map.of("filename", file.getFileName().toString(), "to", "bob"));
    return upload;
  }

  private void assertDownloadMatches(ServerFrame.Message message, byte[] bytes) throws Exception {
    assertThat(message.from()).isEqualTo("alice");
    assertThat(message.file().size()).isEqualTo(bytes.length);
    assertThat(message.file().sha256()).isEqualTo(sha256(bytes));
    try (ParleyClient client = new ParleyClient(server.http())) {
      Path copy = client.download(bob, message.file().id(), temp.resolve("copy-" + message.file().name()), ProgressListener.NONE);
      assertThat(Files.readAllBytes(copy)).isEqualTo(bytes);
    }
  }

  @Test
  void itsChunkedUploadBecomesAFileMessage() throws Exception {
    byte[] bytes = randomBytes(3 * 1024 * KIB + 123, 11);
    Path file = write(temp.resolve("图片.bin"), bytes);

    try (Recipient bobOnline = new Recipient(server, bob)) {
      TusUploader uploader = tusClient().createUpload(upload(file));
      uploader.setChunkSize(256 * KIB);
      uploader.setRequestPayloadSize(1024 * KIB);
      while (uploader.uploadChunk() > -1) {
        // Each call sends one chunk; a new request starts every payload size.
      }
      uploader.finish();

      ServerFrame.Message message = bobOnline.next();
      assertThat(message.file().name()).isEqualTo("图片.bin");
      assertDownloadMatches(message, bytes);
    }
  }

  @Test
  void itResumesAStoppedUploadFromItsUrlStore() throws Exception {
    byte[] bytes = randomBytes(2 * 1024 * KIB, 12);
    Path file = write(temp.resolve("resume.bin"), bytes);
    TusURLMemoryStore urls = new TusURLMemoryStore();
    TusClient tus = tusClient();
    tus.enableResuming(urls);
    tus.enableRemoveFingerprintOnSuccess();

    TusUploader first = tus.resumeOrCreateUpload(upload(file));
    first.setChunkSize(512 * KIB);
    first.setRequestPayloadSize(512 * KIB);
    assertThat(first.uploadChunk()).isEqualTo(512 * KIB);
    first.finish(); // stops here: a paused upload, as after a crash of the sending app
    URI uploadUrl = first.getUploadURL().toURI();
    assertThat(serverOffset(uploadUrl, alice)).isEqualTo(512 * KIB);

    try (Recipient bobOnline = new Recipient(server, bob)) {
      TusUploader second = tus.resumeOrCreateUpload(upload(file));
      assertThat(second.getUploadURL().toURI()).isEqualTo(uploadUrl);
      assertThat(second.getOffset()).isEqualTo(512 * KIB);
      second.setChunkSize(512 * KIB);
      while (second.uploadChunk() > -1) {
        // The rest of the file.
      }
      second.finish();

      assertDownloadMatches(bobOnline.next(), bytes);
    }
    assertThat(urls.get(upload(file).getFingerprint())).as("removed once finished").isNull();
  }
}
