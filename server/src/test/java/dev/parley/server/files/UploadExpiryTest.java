package dev.parley.server.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.chat.ChatService;
import dev.parley.server.chat.LocalDeliveryBus;
import dev.parley.server.cluster.LocalEvents;
import dev.parley.server.chat.MessageLog;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.config.ServerConfig.FileLimits;
import dev.parley.server.config.Settings;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.session.Sessions;
import dev.parley.server.metrics.SecurityLog;
import dev.parley.server.store.UploadRecord;
import dev.parley.server.store.User;
import dev.parley.server.store.sql.SqlStores;
import dev.parley.server.store.sqlite.SqliteDatabase;
import dev.parley.server.testing.TestClock;
import dev.parley.server.testing.Tus;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads left alone expire: refused with 410 meanwhile, removed with their bytes by the cleanup. */
class UploadExpiryTest {
  @Test
  void anUploadUnusedForTheExpiryIsGoneAndItsBytesAreRemoved(@TempDir Path dir) throws Exception {
    TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    Executor direct = Runnable::run;
    ServerMetrics metrics = new ServerMetrics();
    ServerConfig config = Settings.defaultsOnly().toConfig();
    SecurityLog securityLog = new SecurityLog(clock);
    try (SqlStores stores = new SqlStores(SqliteDatabase.open(dir));
        MessageLog log = new MessageLog(stores.messages(), 16, metrics)) {
      User alice = stores.users().create("alice", "alice", "x", 0);
      stores.users().create("bob", "bob", "x", 0);
      Sessions sessions = new Sessions();
      ChatService chat = new ChatService(
          stores.users(), stores.messages(), stores.conversations(), log, stores.limitCells(), new LocalDeliveryBus(sessions, log), new LocalEvents(sessions), sessions, config.chat(), config.connections(), direct, clock, metrics,
          securityLog);
      BlobStorage blobs = new BlobStorage(dir);
      UploadService uploads =
          new UploadService(stores.files(), stores.uploadLocks(), stores.users(), blobs, chat, new FileLimits(1 << 20, 5, Duration.ofHours(24), Duration.ofMinutes(5), 1 << 30), clock,
              securityLog);

      UploadRecord stale = uploads.create(alice, 10L, Tus.metadata(Map.of("filename", "old.txt", "to", "bob")));
      UploadRecord fresh = uploads.create(alice, 10L, Tus.metadata(Map.of("filename", "new.txt", "to", "bob")));
      clock.advance(Duration.ofHours(23));
      PatchWriter keepAlive = uploads.beginPatch(alice, fresh.id(), 0, null, 3, null);
      keepAlive.write(new ByteBuffer[] {ByteBuffer.wrap(new byte[3])});
      keepAlive.finish().join();
      clock.advance(Duration.ofHours(2));

      assertThatThrownBy(() -> uploads.status(alice, stale.id()))
          .isInstanceOfSatisfying(ParleyException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UPLOAD_EXPIRED));
      assertThat(uploads.status(alice, fresh.id()).offset()).isEqualTo(3);

      clock.advance(Duration.ofHours(23));
      uploads.purgeExpired();
      assertThat(stores.files().findUpload(fresh.id())).isEmpty();
      assertThat(Files.exists(blobs.part(fresh.id()))).isFalse();
      assertThat(Files.exists(blobs.part(stale.id()))).isFalse();
    }
  }
}
