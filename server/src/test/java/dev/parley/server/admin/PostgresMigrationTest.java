package dev.parley.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.EventKind;
import dev.parley.protocol.NotifyLevel;
import dev.parley.server.store.AppendResult;
import dev.parley.server.store.ConversationStore;
import dev.parley.server.store.FileRecord;
import dev.parley.server.store.Mention;
import dev.parley.server.store.NewMessage;
import dev.parley.server.store.ReadMark;
import dev.parley.server.store.Revision;
import dev.parley.server.store.RoomChange;
import dev.parley.server.store.StoreException;
import dev.parley.server.store.UploadRecord;
import dev.parley.server.store.User;
import dev.parley.server.store.postgres.PostgresDatabase;
import dev.parley.server.store.postgres.PostgresUrl;
import dev.parley.server.store.sql.SqlStores;
import dev.parley.server.store.sqlite.SqliteDatabase;
import dev.parley.server.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code migrate-to-postgres}: a SQLite installation copied whole into a real PostgreSQL database. */
class PostgresMigrationTest {
  @TempDir Path dataDir;

  @Test
  void everythingIsCopiedWithItsIdsAndSeqsAndNewWritesContinueAfterThem() throws Exception {
    User alice;
    User wang;
    try (SqlStores sqlite = new SqlStores(SqliteDatabase.open(dataDir))) {
      alice = sqlite.users().create("alice", "alice", "hash-a", 1);
      wang = sqlite.users().create("王芳", "王芳", "hash-w", 2);
      sqlite.tokens().insert("token-hash", wang.id(), 3, "192.0.2.7", "Firefox");
      sqlite.files().createUpload(new UploadRecord("up", alice.id(), wang.id(), "草稿.txt", null, null, 10L, 4, "", 5, 9_999));
      FileRecord file = new FileRecord("f1", alice.id(), wang.id(), "照片.jpg", 42, "ab", "image/jpeg", 6, false);
      List<AppendResult> sent = sqlite.messages().appendAll(List.of(
          new NewMessage(alice.id(), 0, "实验室", "c", null, null, new RoomChange(EventKind.CREATED, alice.id(), "实验室", true), 7),
          new NewMessage(alice.id(), 0, "实验室", "a", null, null, new RoomChange(EventKind.ADDED, wang.id(), null, false), 8),
          new NewMessage(alice.id(), 0, "实验室", "r1", "大家好", null, null, 9),
          NewMessage.text(wang.id(), alice.id(), "d1", "你好 alice", 10),
          new NewMessage(alice.id(), wang.id(), "f", null, file, 11)), List.of());
      long room = sqlite.conversations().roomConversation("实验室").orElseThrow();
      sqlite.messages().appendAll(List.of(), List.of(), List.of(new ReadMark(room, wang.id(), 3, sent.get(2).seq())));
      Mention mentionsWang = new Mention(wang.id(), "王芳");
      sqlite.messages().appendAll(List.of(
          new NewMessage(alice.id(), 0, "实验室", "r3", "@王芳 请看预算", null, null, null, List.of(mentionsWang), 12),
          NewMessage.revision(alice.id(), "e1", new Revision(sent.get(2).seq(), "大家好，改过了"), List.of(), 13),
          NewMessage.revision(wang.id(), "x1", Revision.delete(sent.get(3).seq()), List.of(), 14)), List.of());
      sqlite.conversations().setNotifyLevel(room, wang.id(), NotifyLevel.MENTIONS);
      sqlite.users().setAdmin(alice.id(), true);
      sqlite.invites().create("invite-hash", alice.id(), 15, null, 3);
    }
    try (TestDatabase target = TestDatabase.create()) {
      PostgresMigration.Copied copied = PostgresMigration.copy(dataDir, target.parsedUrl());

      assertThat(copied.rows()).containsEntry("users", 2L).containsEntry("tokens", 1L).containsEntry("messages", 8L)
          .containsEntry("invites", 1L).containsEntry("message_mentions", 1L)
          .containsEntry("files", 1L).containsEntry("uploads", 1L).containsEntry("conversations", 2L)
          .containsEntry("conversation_members", 4L);
      try (SqlStores sqlite = new SqlStores(SqliteDatabase.open(dataDir));
          SqlStores postgres = new SqlStores(PostgresDatabase.open(target.parsedUrl(), 2))) {
        for (User user : List.of(alice, wang)) {
          assertThat(postgres.messages().since(user.id(), 0, 100)).isEqualTo(sqlite.messages().since(user.id(), 0, 100));
          assertThat(postgres.conversations().conversations(user.id())).isEqualTo(sqlite.conversations().conversations(user.id()));
          assertThat(postgres.conversations().roomsOf(user.id())).isEqualTo(sqlite.conversations().roomsOf(user.id()));
          assertThat(postgres.files().storageUsed(user.id(), 0)).isEqualTo(sqlite.files().storageUsed(user.id(), 0));
        }
        assertThat(postgres.users().findCredentials("王芳")).isEqualTo(sqlite.users().findCredentials("王芳"));
        assertThat(postgres.tokens().find("token-hash")).isEqualTo(sqlite.tokens().find("token-hash"));
        assertThat(postgres.tokens().ofUser(wang.id())).isEqualTo(sqlite.tokens().ofUser(wang.id())).isNotEmpty();
        assertThat(postgres.users().accounts("", 10)).isEqualTo(sqlite.users().accounts("", 10));
        assertThat(postgres.users().isAdmin(alice.id())).isTrue();
        assertThat(postgres.invites().list()).isEqualTo(sqlite.invites().list()).hasSize(1);
        for (String text : List.of("改过了", "预算", "照片", "你好")) {
          assertThat(postgres.messages().search(wang.id(), 0, text, Long.MAX_VALUE, 10)).as(text)
              .isEqualTo(sqlite.messages().search(wang.id(), 0, text, Long.MAX_VALUE, 10));
        }
        assertThat(postgres.messages().search(wang.id(), 0, "改过了", Long.MAX_VALUE, 10)).hasSize(1);
        assertThat(postgres.messages().search(wang.id(), 0, "你好 alice", Long.MAX_VALUE, 10)).as("deleted").isEmpty();
        assertThat(postgres.files().findFile("f1")).isEqualTo(sqlite.files().findFile("f1"));
        assertThat(postgres.files().allUploads()).isEqualTo(sqlite.files().allUploads());
        long room = postgres.conversations().roomConversation("实验室").orElseThrow();
        assertThat(postgres.conversations().readCursor(room, wang.id())).isEqualTo(sqlite.conversations().readCursor(room, wang.id()));

        long oldNewest = sqlite.messages().since(alice.id(), 0, 100).getLast().seq();
        User carol = postgres.users().create("carol", "carol", "h", 12);
        AppendResult next = postgres.messages().appendAll(
            List.of(new NewMessage(wang.id(), 0, "实验室", "r2", "新消息", null, null, 13)), List.of()).getFirst();
        assertThat(carol.id()).isGreaterThan(wang.id());
        assertThat(next.seq()).isGreaterThan(oldNewest);
        assertThat(postgres.conversations().readCursor(room, wang.id())).hasValue(
            new ConversationStore.ReadCursor(5, next.seq()));
      }
    }
  }

  @Test
  void aTargetThatHoldsDataIsRefusedAndLeftAsItWas() throws Exception {
    try (SqlStores sqlite = new SqlStores(SqliteDatabase.open(dataDir))) {
      sqlite.users().create("alice", "alice", "h", 1);
    }
    try (TestDatabase target = TestDatabase.create()) {
      try (SqlStores postgres = new SqlStores(PostgresDatabase.open(target.parsedUrl(), 2))) {
        postgres.users().create("someone", "someone", "h", 1);
      }

      assertThatThrownBy(() -> PostgresMigration.copy(dataDir, target.parsedUrl()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is not empty");
      try (SqlStores postgres = new SqlStores(PostgresDatabase.open(target.parsedUrl(), 2))) {
        assertThat(postgres.users().list("", 10)).extracting(User::username).containsExactly("someone");
      }
    }
  }

  @Test
  void aDirectoryWithoutADatabaseIsRefusedWithoutCreatingOne() {
    try (TestDatabase target = TestDatabase.create()) {
      assertThatThrownBy(() -> PostgresMigration.copy(dataDir.resolve("nothing"), target.parsedUrl()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no Parley database");
    }
    assertThat(dataDir.resolve("nothing")).doesNotExist();
  }

  @Test
  void anUnreachableTargetFailsWithItsAddressAndNoPassword() throws Exception {
    try (SqlStores sqlite = new SqlStores(SqliteDatabase.open(dataDir))) {
      sqlite.users().create("alice", "alice", "h", 1);
    }
    PostgresUrl url = PostgresUrl.parse("postgresql://postgres:s3cret@127.0.0.1:1/none?connect_timeout=2", PostgresUrl.Environment.current());

    assertThatThrownBy(() -> PostgresMigration.copy(dataDir, url))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("127.0.0.1:1")
        .hasMessageNotContaining("s3cret");
  }
}
