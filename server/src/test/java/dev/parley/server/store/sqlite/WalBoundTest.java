package dev.parley.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.ServerSetting;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Under sustained load, with readers querying history all the while, the WAL file stays near
 * {@code wal-max-bytes}: background checkpoints alone never catch up with the commits.
 */
@ParleyServerTest
class WalBoundTest {
  /** As the {@code wal-max-bytes} setting below. */
  private static final long WAL_MAX_BYTES = 4L << 20;
  /** Messages per group commit at most: the server's {@code commit-batch-max} default. */
  private static final int COMMIT_BATCH_MAX = 512;
  /**
   * What may be committed between the check after one commit and the truncation it starts: one
   * group commit, or one transaction of the search follower (2,048 messages' index segment and its
   * share of merging, ~2 MB at most). A message here writes its row, index entries and search index
   * pages to the WAL in 1 KiB pages; 12 KiB each leaves room over the ~8.5 KiB seen with the search
   * index (the largest overshoot seen in a full CI run: 4.35 MB, before the index stopped merging a
   * whole level in one transaction).
   */
  private static final long MARGIN_BYTES = COMMIT_BATCH_MAX * (12L << 10);
  private static final Duration LOAD = Duration.ofSeconds(25);
  private static final int SENDERS = 4;
  private static final int READERS = 2;
  private static final int IN_FLIGHT = 256;

  @Test
  @ServerSetting(key = "wal-max-bytes", value = "4194304")
  @ServerSetting(key = "message-burst", value = "1000000")
  // Each sender keeps IN_FLIGHT sends unanswered, past the default per connection.
  @ServerSetting(key = "max-requests-in-flight", value = "1000")
  void theWalStaysNearItsBoundUnderSustainedLoadWithReaders(TestServer server, TestUsers users, Http http)
      throws Exception {
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < SENDERS; i++) {
        tokens.add(users.create("sender" + i).token());
      }
      users.create("offline");
      Path wal = server.dataDir().resolve(SqliteDatabase.FILE_NAME + "-wal");
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong largestWal = new AtomicLong();
      AtomicLong sent = new AtomicLong();
      List<Future<?>> load = new ArrayList<>();
      for (String token : tokens) {
        load.add(threads.submit(() -> send(server, token, stop, sent)));
      }
      for (int i = 0; i < READERS; i++) {
        String token = tokens.get(i);
        load.add(threads.submit(() -> {
          while (!stop.get()) {
            assertThat(http.get("/api/v1/messages?with=offline&limit=100", token).status()).isEqualTo(200);
          }
          return null;
        }));
      }

      long end = System.nanoTime() + LOAD.toNanos();
      await().atMost(LOAD.plusSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
        largestWal.accumulateAndGet(Files.exists(wal) ? Files.size(wal) : 0, Math::max);
        return System.nanoTime() > end || largestWal.get() > WAL_MAX_BYTES + MARGIN_BYTES;
      });
      stop.set(true);
      for (Future<?> task : load) {
        task.get();
      }

      assertThat(sent.get()).as("messages sent").isGreaterThan(10_000);
      assertThat(largestWal.get()).as("largest WAL file, bytes").isLessThanOrEqualTo(WAL_MAX_BYTES + MARGIN_BYTES);
    }
  }

  /** Pipelines messages to a user who never connects, keeping {@link #IN_FLIGHT} unacknowledged. */
  private static Void send(TestServer server, String token, AtomicBoolean stop, AtomicLong sent) {
    Random words = new Random(token.hashCode());
    try (FrameClient client = Transport.TCP.connect(server, token, null)) {
      long outstanding = 0;
      for (long i = 0; !stop.get() || outstanding > 0; i++) {
        if (!stop.get()) {
          client.send(new ClientFrame.Send("m" + i, "offline", sentence(words)));
          outstanding++;
        }
        if (outstanding >= IN_FLIGHT || stop.get()) {
          client.next(ServerFrame.Ack.class);
          outstanding--;
          sent.incrementAndGet();
        }
      }
    }
    return null;
  }

  /**
   * About 300 characters of chat-like text in two scripts, different in every message, as the
   * search index sees real messages. (One character repeated 300 times, as this test sent before
   * the index, is one trigram with 298 positions in every message: its doclist is rewritten by
   * every merge, and the WAL overshoot grows with it; docs/BENCHMARKS.md.)
   */
  private static String sentence(Random words) {
    StringBuilder text = new StringBuilder();
    while (text.length() < 300) {
      text.append(VOCABULARY.get(words.nextInt(VOCABULARY.size()))).append(words.nextInt(1000)).append(' ');
    }
    return text.toString();
  }

  private static final List<String> VOCABULARY = List.of(
      "meeting", "report", "lab", "deadline", "draft", "results", "figure", "server", "tomorrow", "thanks",
      "会议", "报告", "实验室", "截止", "草稿", "结果", "图表", "服务器", "明天", "谢谢", "数据", "论文", "周五", "好的");
}
