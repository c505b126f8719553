package dev.parley.client;

import static dev.parley.client.TransferFixture.randomBytes;
import static dev.parley.client.TransferFixture.serverOffset;
import static dev.parley.client.TransferFixture.sha256;
import static dev.parley.client.TransferFixture.write;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.parley.client.TransferFixture.Recipient;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.OwnServer;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.ServerSetting;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads and downloads through {@link ParleyClient} against a real server, resumes included. */
@ParleyServerTest
@OwnServer
class FileTransferTest {
  private static final int MIB = 1 << 20;
  private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @TempDir Path temp;

  private final TestServer server;
  private final ParleyClient client;
  private final String alice;
  private final String bob;

  FileTransferTest(TestServer server, TestUsers users) {
    this.server = server;
    client = new ParleyClient(server.http());
    alice = users.create("alice").token();
    bob = users.create("bob").token();
  }

  @AfterEach
  void stop() {
    client.close();
  }

  /** Hears every call, for asserting what was sent or fetched. */
  private static final class Recorder implements ProgressListener {
    final List<Long> starts = new CopyOnWriteArrayList<>();
    final AtomicLong last = new AtomicLong(-1);

    @Override
    public void onStart(long resumedFrom, long totalBytes) {
      starts.add(resumedFrom);
    }

    @Override
    public void onProgress(long bytesDone, long totalBytes) {
      last.set(bytesDone);
    }
  }

  private UploadOptions chunked(UploadUrlStore store) {
    return UploadOptions.defaults().withChunkSize(MIB).withUrlStore(store);
  }

  @Test
  void anUploadedFileReachesTheRecipientAndDownloadsByteIdentical() throws IOException {
    byte[] bytes = randomBytes(3 * MIB, 1);
    Path file = write(temp.resolve("photo.jpg"), bytes);
    UploadUrlStore store = new JsonUploadUrlStore(temp.resolve("uploads.json"));
    Recorder progress = new Recorder();

    try (Recipient bobOnline = new Recipient(server, bob)) {
      ServerFrame.Message sent = client.upload(alice, file, "bob", chunked(store).withProgress(progress).withType("image/jpeg"));

      ServerFrame.Message received = bobOnline.next();
      assertThat(received).isEqualTo(sent);
      assertThat(received.from()).isEqualTo("alice");
      assertThat(received.text()).isNull();
      assertThat(received.file()).satisfies(ref -> {
        assertThat(ref.name()).isEqualTo("photo.jpg");
        assertThat(ref.size()).isEqualTo(bytes.length);
        assertThat(ref.sha256()).isEqualTo(sha256(bytes));
        assertThat(ref.type()).isEqualTo("image/jpeg");
      });
    }
    assertThat(progress.starts).containsExactly(0L);
    assertThat(progress.last).hasValue(bytes.length);
    assertThat(store.find(FileFingerprint.of(server.http(), "bob", file).key())).as("forgotten once done").isEmpty();

    String id = client.messages(bob, "alice", null, null).getLast().file().id();
    Path downloaded = client.download(bob, id, temp.resolve("down/photo.jpg"), ProgressListener.NONE);
    assertThat(downloaded).isEqualTo(temp.resolve("down/photo.jpg"));
    assertThat(Files.readAllBytes(downloaded)).isEqualTo(bytes);
    assertThat(temp.resolve("down/photo.jpg.part")).doesNotExist();
    assertThat(temp.resolve("down/photo.jpg.part.etag")).doesNotExist();
  }

  @Test
  void aChineseFileNameSurvivesUploadAndDownload() throws IOException {
    byte[] bytes = "张三\n李四\n王五\n".getBytes(UTF_8);
    Path file = write(temp.resolve("名单.txt"), bytes);

    ServerFrame.Message sent = client.upload(alice, file, "bob");

    assertThat(sent.file().name()).isEqualTo("名单.txt");
    ServerFrame.FileRef info = client.fileInfo(bob, sent.file().id());
    assertThat(info).isEqualTo(new ServerFrame.FileRef(sent.file().id(), "名单.txt", bytes.length, sha256(bytes), null));
    Path downloaded = client.download(bob, sent.file().id(), temp.resolve("bob").resolve(info.name()), ProgressListener.NONE);
    assertThat(downloaded.getFileName().toString()).isEqualTo("名单.txt");
    assertThat(Files.readString(downloaded)).isEqualTo("张三\n李四\n王五\n");
  }

  @Test
  void anEmptyFileIsSentAndDownloaded() throws IOException {
    Path file = write(temp.resolve("empty.txt"), new byte[0]);

    try (Recipient bobOnline = new Recipient(server, bob)) {
      ServerFrame.Message sent = client.upload(alice, file, "bob");

      assertThat(bobOnline.next()).isEqualTo(sent);
      assertThat(sent.file().size()).isZero();
      assertThat(sent.file().sha256()).isEqualTo(EMPTY_SHA256);
    }
    Path downloaded = client.download(bob, client.messages(bob, "alice", null, null).getLast().file().id(),
        temp.resolve("got.txt"), ProgressListener.NONE);
    assertThat(downloaded).isEmptyFile();
  }

  @Test
  void anInterruptedUploadResumesFromTheServersOffset() throws IOException {
    byte[] bytes = randomBytes(3 * MIB, 2);
    Path file = write(temp.resolve("big.bin"), bytes);
    JsonUploadUrlStore store = new JsonUploadUrlStore(temp.resolve("uploads.json"));
    RuntimeException dropped = new IllegalStateException("connection dropped");
    ProgressListener dropInSecondChunk = (done, total) -> {
      if (done > MIB + 100_000) {
        throw dropped;
      }
    };

    assertThatThrownBy(() -> client.upload(alice, file, "bob", chunked(store).withProgress(dropInSecondChunk)))
        .isSameAs(dropped);

    // A new store over the same file: what a second process would find.
    UploadUrlStore reopened = new JsonUploadUrlStore(store.file());
    UploadUrlStore.Entry remembered = reopened.find(FileFingerprint.of(server.http(), "bob", file).key()).orElseThrow();
    assertThat(remembered.sha256()).isEqualTo(sha256(bytes));
    assertThat(serverOffset(remembered.url(), alice)).as("the first chunk is kept, the cut one is not").isEqualTo(MIB);

    Recorder resumed = new Recorder();
    try (Recipient bobOnline = new Recipient(server, bob)) {
      ServerFrame.Message sent = client.upload(alice, file, "bob", chunked(reopened).withProgress(resumed));

      assertThat(bobOnline.next()).isEqualTo(sent);
      assertThat(sent.file().sha256()).isEqualTo(sha256(bytes));
      assertThat(remembered.url().getPath()).as("the same upload, finished").endsWith("/" + sent.file().id());
    }
    long sentOnResume = resumed.last.get() - resumed.starts.getFirst();
    assertThat(resumed.starts.getFirst()).isEqualTo(MIB);
    assertThat(sentOnResume).isEqualTo(bytes.length - MIB).isLessThan(bytes.length);
    Path downloaded = client.download(bob, client.messages(bob, "alice", null, null).getLast().file().id(),
        temp.resolve("big.copy"), ProgressListener.NONE);
    assertThat(Files.readAllBytes(downloaded)).isEqualTo(bytes);
  }

  @Test
  void aRememberedUploadThatAlreadyFinishedIsNotSentAgain() {
    Path file = write(temp.resolve("notes.txt"), "finished before its reply arrived".getBytes(UTF_8));
    UploadUrlStore store = UploadUrlStore.inMemory();
    String key = FileFingerprint.of(server.http(), "bob", file).key();
    // Remember every upload, even after it is forgotten: as if the last reply had been lost.
    UploadUrlStore forgetful = new UploadUrlStore() {
      @Override
      public java.util.Optional<Entry> find(String k) {
        return store.find(k);
      }

      @Override
      public void remember(String k, Entry entry) {
        store.remember(k, entry);
      }

      @Override
      public void forget(String k) {}
    };

    try (Recipient bobOnline = new Recipient(server, bob)) {
      ServerFrame.Message first = client.upload(alice, file, "bob", UploadOptions.defaults().withUrlStore(forgetful));
      assertThat(bobOnline.next()).isEqualTo(first);
      assertThat(store.find(key)).isPresent();

      ServerFrame.Message again = client.upload(alice, file, "bob", UploadOptions.defaults().withUrlStore(forgetful));

      assertThat(again).isEqualTo(first);
      assertThat(client.messages(bob, "alice", null, null)).hasSize(1);
      assertThat(bobOnline.waiting()).isZero();
    }
  }

  @Test
  void anUploadToAnUnknownUserIsRefusedAndNotRemembered() {
    Path file = write(temp.resolve("a.txt"), "hello".getBytes(UTF_8));
    UploadUrlStore store = UploadUrlStore.inMemory();

    assertThatThrownBy(() -> client.upload(alice, file, "nobody", UploadOptions.defaults().withUrlStore(store)))
        .asInstanceOf(type(ParleyClientException.class))
        .satisfies(e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
          assertThat(e.getMessage()).isEqualTo("no user 'nobody' to send to");
        });
    assertThat(store.find(FileFingerprint.of(server.http(), "nobody", file).key())).isEmpty();
  }

  @Test
  @ServerSetting(key = "max-file-bytes", value = "1000")
  void aFileOverTheServersLimitIsRefusedAsTooLarge() {
    Path file = write(temp.resolve("big.bin"), randomBytes(1001, 3));

    assertThatThrownBy(() -> client.upload(alice, file, "bob"))
        .asInstanceOf(type(ParleyClientException.class))
        .extracting(ParleyClientException::code)
        .isEqualTo(ErrorCode.TOO_LARGE);
  }

  @Test
  void aPartialDownloadFetchesOnlyTheRest() throws IOException {
    byte[] bytes = randomBytes(3 * MIB, 4);
    ServerFrame.FileRef ref = client.upload(alice, write(temp.resolve("src.bin"), bytes), "bob").file();
    Path target = temp.resolve("dst.bin");
    int half = bytes.length / 2;
    Files.write(temp.resolve("dst.bin.part"), java.util.Arrays.copyOf(bytes, half));
    Files.writeString(temp.resolve("dst.bin.part.etag"), "\"" + ref.sha256() + "\"");
    Recorder progress = new Recorder();

    client.download(bob, ref.id(), target, progress);

    assertThat(progress.starts).containsExactly((long) half);
    assertThat(progress.last).hasValue(bytes.length);
    assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
    assertThat(temp.resolve("dst.bin.part")).doesNotExist();
    assertThat(temp.resolve("dst.bin.part.etag")).doesNotExist();
  }

  @Test
  void aPartWithoutItsEtagOrOfAnotherFileIsFetchedAgainWhole() throws IOException {
    byte[] bytes = randomBytes(MIB, 5);
    String id = client.upload(alice, write(temp.resolve("src.bin"), bytes), "bob").file().id();
    Files.write(temp.resolve("orphan.part"), randomBytes(1000, 6));
    Files.write(temp.resolve("other.part"), randomBytes(1000, 7));
    Files.writeString(temp.resolve("other.part.etag"), "\"" + sha256(randomBytes(10, 8)) + "\"");
    Recorder orphan = new Recorder();
    Recorder other = new Recorder();

    client.download(bob, id, temp.resolve("orphan"), orphan);
    client.download(bob, id, temp.resolve("other"), other);

    assertThat(orphan.starts).containsExactly(0L);
    assertThat(other.starts).as("If-Range did not match: the whole file came").containsExactly(0L);
    assertThat(Files.readAllBytes(temp.resolve("orphan"))).isEqualTo(bytes);
    assertThat(Files.readAllBytes(temp.resolve("other"))).isEqualTo(bytes);
  }

  @Test
  void aCompletePartIsCheckedAndMovedIntoPlace() throws IOException {
    byte[] bytes = randomBytes(1000, 9);
    ServerFrame.FileRef ref = client.upload(alice, write(temp.resolve("src.bin"), bytes), "bob").file();
    Files.write(temp.resolve("done.part"), bytes);
    Files.writeString(temp.resolve("done.part.etag"), "\"" + ref.sha256() + "\"");

    client.download(bob, ref.id(), temp.resolve("done"), ProgressListener.NONE);

    assertThat(Files.readAllBytes(temp.resolve("done"))).isEqualTo(bytes);
  }

  @Test
  void bytesThatDoNotMatchTheFilesHashAreRejected() throws IOException {
    byte[] bytes = randomBytes(100_000, 10);
    String id = client.upload(alice, write(temp.resolve("src.bin"), bytes), "bob").file().id();
    // Damage the stored copy behind the server's back: the ETag still names the original.
    try (var stored = java.nio.channels.FileChannel.open(server.dataDir().resolve("files").resolve(id), StandardOpenOption.WRITE)) {
      stored.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) ~bytes[500]}), 500);
    }
    Path target = temp.resolve("damaged.bin");

    assertThatThrownBy(() -> client.download(bob, id, target, ProgressListener.NONE))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("not " + sha256(bytes));
    assertThat(target).doesNotExist();
    assertThat(temp.resolve("damaged.bin.part")).doesNotExist();
  }

  @Test
  void onlySenderAndRecipientCanDownload(TestUsers users) {
    String carol = users.create("carol").token();
    String id = client.upload(alice, write(temp.resolve("secret.txt"), "for bob".getBytes(UTF_8)), "bob").file().id();
    Path target = temp.resolve("stolen.txt");

    assertThatThrownBy(() -> client.download(carol, id, target, ProgressListener.NONE))
        .asInstanceOf(type(ParleyClientException.class))
        .satisfies(e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
          assertThat(e.httpStatus()).isEqualTo(404);
        });
    assertThatThrownBy(() -> client.fileInfo(carol, id))
        .asInstanceOf(type(ParleyClientException.class))
        .extracting(ParleyClientException::code)
        .isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(target).doesNotExist();
    assertThat(temp.resolve("stolen.txt.part")).doesNotExist();
    assertThat(client.download(alice, id, temp.resolve("mine.txt"), ProgressListener.NONE)).hasContent("for bob");
  }

  @Test
  void theSenderDeletesAFileAndThenItIsGoneForBoth() {
    String id = client.upload(alice, write(temp.resolve("draft.txt"), "oops".getBytes(UTF_8)), "bob").file().id();

    assertThatThrownBy(() -> client.deleteFile(bob, id))
        .asInstanceOf(type(ParleyClientException.class))
        .extracting(ParleyClientException::code)
        .isEqualTo(ErrorCode.NOT_FOUND);
    client.deleteFile(alice, id);

    assertThatThrownBy(() -> client.download(bob, id, temp.resolve("draft-copy.txt"), ProgressListener.NONE))
        .asInstanceOf(type(ParleyClientException.class))
        .satisfies(e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.GONE);
          assertThat(e.httpStatus()).isEqualTo(410);
        });
    assertThatThrownBy(() -> client.fileInfo(alice, id))
        .asInstanceOf(type(ParleyClientException.class))
        .extracting(ParleyClientException::code)
        .isEqualTo(ErrorCode.GONE);
    assertThatThrownBy(() -> client.deleteFile(alice, id))
        .asInstanceOf(type(ParleyClientException.class))
        .extracting(ParleyClientException::code)
        .isEqualTo(ErrorCode.GONE);
  }

  @Test
  void aFileIdThatIsNotOneNeverReachesTheServer() {
    assertThatThrownBy(() -> client.download(bob, "../users", temp.resolve("x"), ProgressListener.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a file id: '../users'");
  }
}
