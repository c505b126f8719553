package dev.parley.app;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.ParleyClient;
import dev.parley.client.ProgressListener;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.LineClient;
import dev.parley.server.testing.TestUsers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley admin backup} of a running server under message load, and {@code parley admin restore} of it. */
class BackupRestoreTest {
  private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(120);
  /** Messages in flight at once on the load connection. */
  private static final int WINDOW = 50;

  @TempDir Path temp;

  @Test
  void aBackupUnderLoadRestoresEveryMessageAckedBeforeItAndEveryFileIntact() throws Exception {
    Path dataDir = Files.createDirectories(temp.resolve("data"));
    Files.writeString(dataDir.resolve("parley.properties"),
        "argon2-memory-kib=1024\nargon2-iterations=1\nmessages-per-second=100000\nmessage-burst=100000\n");
    Map<String, String> sha256ById = new HashMap<>();
    Map<Long, String> ackedBeforeBackup;
    Map<Long, String> acked = new ConcurrentHashMap<>();
    InProcessCli cli = new InProcessCli(temp.resolve("home"));
    InProcessCli.Run backup;
    try (ServerProcess server = ServerProcess.start(dataDir, temp.resolve("server.log"));
        ParleyClient client = new ParleyClient(server.http())) {
      TestUsers users = new TestUsers(server.http());
      users.create("bob");
      String alice = users.create("alice").token();
      Random random = new Random(14);
      for (String name : List.of("实验报告.pdf", "photo.jpg", "空.txt")) {
        byte[] bytes = new byte[name.startsWith("空") ? 0 : 1 + random.nextInt(3 << 20)];
        random.nextBytes(bytes);
        ServerFrame.Message sent = client.upload(alice, Files.write(temp.resolve(name), bytes), "bob");
        sha256ById.put(sent.file().id(), sha256(bytes));
      }

      AtomicBoolean stop = new AtomicBoolean();
      CompletableFuture<Void> load = CompletableFuture.runAsync(() -> sendUntilStopped(server.tcpPort(), alice, acked, stop));
      await().atMost(LOAD_TIMEOUT).until(() -> acked.size() >= 500 || load.isDone());
      ackedBeforeBackup = Map.copyOf(acked);
      backup = cli.run("admin", "backup", "--data-dir", dataDir.toString(), "--to", temp.resolve("backup").toString());
      int ackedWhileBackingUp = acked.size() - ackedBeforeBackup.size();
      stop.set(true);
      load.get(LOAD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertThat(ackedWhileBackingUp).as("messages acked while the backup ran: it was taken under load").isPositive();
    }
    assertThat(backup.exitCode()).as(backup.toString()).isZero();
    assertThat(backup.out()).contains("2 users").contains("3 files");

    Path restoredDir = temp.resolve("restored");
    InProcessCli.Run restore = cli.run("admin", "restore", "--from", temp.resolve("backup").toString(), "--data-dir", restoredDir.toString());
    assertThat(restore.exitCode()).as(restore.toString()).isZero();

    try (ServerProcess server = ServerProcess.start(restoredDir, temp.resolve("restored.log"));
        ParleyClient client = new ParleyClient(server.http())) {
      String bob = client.login("bob", PASSWORD).token();
      Map<Long, String> restored = new HashMap<>();
      Long before = null;
      for (List<ServerFrame.Message> page; !(page = client.messages(bob, "alice", before, 100)).isEmpty(); ) {
        page.forEach(message -> restored.put(message.seq(), message.text()));
        before = page.getFirst().seq();
      }

      assertThat(restored).containsAllEntriesOf(ackedBeforeBackup);
      for (Map.Entry<String, String> file : sha256ById.entrySet()) {
        Path copy = client.download(bob, file.getKey(), temp.resolve("download-" + file.getKey()), ProgressListener.NONE);
        assertThat(sha256(Files.readAllBytes(copy))).as("bytes of file " + file.getKey()).isEqualTo(file.getValue());
      }
    }
  }

  @Test
  void restoreRefusesADamagedBackupAndANonEmptyDataDirectoryWritingNothing() throws Exception {
    Path dataDir = Files.createDirectories(temp.resolve("data"));
    Files.writeString(dataDir.resolve("parley.properties"), "argon2-memory-kib=1024\nargon2-iterations=1\n");
    Path backupDir = temp.resolve("backup");
    InProcessCli cli = new InProcessCli(temp.resolve("home"));
    try (ServerProcess server = ServerProcess.start(dataDir, temp.resolve("server.log"));
        ParleyClient client = new ParleyClient(server.http())) {
      TestUsers users = new TestUsers(server.http());
      users.create("bob");
      String alice = users.create("alice").token();
      client.upload(alice, Files.writeString(temp.resolve("笔记.txt"), "第一版", UTF_8), "bob");
      assertThat(cli.run("admin", "backup", "--data-dir", dataDir.toString(), "--to", backupDir.toString()).exitCode()).isZero();
    }

    for (String file : List.of("parley.db", "manifest.json", "parley.properties")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backupDir.resolve(file))))
          .as("a backup holds password hashes: " + file + " is the owner's only").isEqualTo("rw-------");
    }

    InProcessCli.Run intoUsed = cli.run("admin", "restore", "--from", backupDir.toString(), "--data-dir", dataDir.toString());
    assertThat(intoUsed.exitCode()).isEqualTo(1);
    assertThat(intoUsed.err()).contains("is not empty");

    Path blob;
    try (var files = Files.list(backupDir.resolve("files"))) {
      blob = files.findFirst().orElseThrow();
    }
    Files.writeString(blob, "第二版", UTF_8);
    Path target = temp.resolve("restored");
    InProcessCli.Run damaged = cli.run("admin", "restore", "--from", backupDir.toString(), "--data-dir", target.toString());
    assertThat(damaged.exitCode()).isEqualTo(1);
    assertThat(damaged.err()).contains("files/" + blob.getFileName() + " is damaged");
    assertThat(target).doesNotExist();
  }

  @Test
  void onPostgresqlBackupAndRestoreRefuseAndPointToPgDump() throws Exception {
    Path dataDir = Files.createDirectories(temp.resolve("data"));
    Files.writeString(dataDir.resolve("parley.properties"), "database=postgresql://parley@127.0.0.1:1/parley\n");
    InProcessCli cli = new InProcessCli(temp.resolve("home"));

    InProcessCli.Run fromSettings = cli.run("admin", "backup", "--data-dir", dataDir.toString(), "--to", temp.resolve("b1").toString());
    InProcessCli.Run fromFlag = cli.run("admin", "restore", "--data-dir", temp.resolve("empty").toString(),
        "--database", "postgresql://parley@127.0.0.1:1/parley", "--from", temp.resolve("b1").toString());

    for (InProcessCli.Run run : List.of(fromSettings, fromFlag)) {
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(run.err()).contains("stores in PostgreSQL").contains("pg_dump");
    }
    assertThat(temp.resolve("b1")).doesNotExist();
    assertThat(temp.resolve("empty")).doesNotExist();
  }

  /** Sends alice's messages to bob, {@link #WINDOW} at a time, recording each acked seq with its text. */
  private static void sendUntilStopped(int tcpPort, String token, Map<Long, String> acked, AtomicBoolean stop) {
    long deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
    try (LineClient alice = LineClient.connect(tcpPort)) {
      alice.auth(token, null);
      Map<String, String> textById = new HashMap<>();
      for (int batch = 0; !stop.get() && System.nanoTime() < deadline; batch++) {
        for (int i = 0; i < WINDOW; i++) {
          String id = "m" + batch + "-" + i;
          textById.put(id, "备份中的消息 " + id);
          alice.send(new ClientFrame.Send(id, "bob", textById.get(id)));
        }
        for (int i = 0; i < WINDOW; i++) {
          ServerFrame.Ack ack = alice.nextMatching(ServerFrame.Ack.class, a -> true);
          acked.put(ack.seq(), textById.get(ack.id()));
        }
      }
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
