package dev.parley.server.cluster;

import static dev.parley.server.testing.Tus.metadata;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.Http;
import dev.parley.server.testing.TestClock;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Tus;
import dev.parley.server.testing.TwoNodes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Throttles, rate limits, the storage quota and the uploads cap hold for a user over two nodes
 * together, not for each node apart. The clock stands still, so no bucket refills while a test
 * runs: each count is exact.
 */
class LimitsAcrossNodesTest {
  private static final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  private static TwoNodes nodes;
  private static Http first;
  private static Http second;
  private static TestUsers users;
  private static final Map<String, String> tokens = new HashMap<>();

  @BeforeAll
  static void startTwoNodes() {
    nodes = TwoNodes.start(
        Map.of(
            "login-failures-per-username", 2,
            "registrations-per-address-per-hour", 40,
            "messages-per-second", 1,
            "message-burst", 10,
            "max-storage-bytes-per-user", 1000,
            "max-uploads-per-user", 4),
        clock);
    first = new Http(nodes.first().http());
    second = new Http(nodes.second().http());
    users = new TestUsers(nodes.first());
    // Before any test: one of them uses up the registrations allowed from 127.0.0.1.
    for (String username : List.of("王芳", "sender", "reader", "uploader", "receiver")) {
      tokens.put(username, users.create(username).token());
    }
  }

  @AfterAll
  static void stopNodes() {
    nodes.close();
  }

  private static Http.Reply login(Http node, String username, String password) {
    return node.post("/api/v1/login", Map.of("username", username, "password", password), null);
  }

  private static Http.Reply register(Http node, String username) {
    return node.post("/api/v1/register", Map.of("username", username, "password", TestUsers.PASSWORD), null);
  }

  @Test
  void failedLoginsOnBothNodesAddUpToTheBackOff() {
    assertThat(login(first, "王芳", "wrong1pass").status()).isEqualTo(401);
    assertThat(login(second, "王芳", "wrong2pass").status()).isEqualTo(401);

    Http.Reply refused = login(first, "王芳", TestUsers.PASSWORD);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.errorCode()).isEqualTo("rate_limited");
    assertThat(login(second, "王芳", TestUsers.PASSWORD).status()).isEqualTo(429);
  }

  @Test
  void registrationsFromOneAddressOnBothNodesShareTheAllowance() {
    int allowed = 0;
    Http.Reply last = null;
    for (int i = 0; i < 50 && (last == null || last.status() != 429); i++) {
      last = register(i % 2 == 0 ? first : second, "新人" + i);
      if (last.status() == 200 || last.status() == 201) {
        allowed++;
      }
    }
    assertThat(last.status()).isEqualTo(429);
    // Five users were registered from 127.0.0.1 before, in the same hour's allowance.
    assertThat(allowed).isEqualTo(40 - 5);
    assertThat(register(first, "再来一个").status()).isEqualTo(429);
    assertThat(register(second, "再来两个").status()).isEqualTo(429);
  }

  @Test
  void aSenderOnTwoNodesGetsOneBurstAndAtMostTwoSlicesMore() {
    String sender = tokens.get("sender");
    for (int i = 0; i < 10; i++) {
      assertThat(send(first, sender, "a" + i).status()).as("send %d, within the burst", i).isEqualTo(201);
    }
    // The first node's bucket is empty, and so, once its charges are in, is the shared one. The
    // second node lets through at most two slices (a tenth of the burst each: 1) on trust.
    int acceptedBySecond = 0;
    for (int i = 0; i < 3; i++) {
      if (send(second, sender, "b" + i).status() == 201) {
        acceptedBySecond++;
      }
    }
    assertThat(acceptedBySecond).isLessThanOrEqualTo(2);
    Http.Reply refused = send(second, sender, "b-last");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.errorCode()).isEqualTo("rate_limited");
  }

  private static Http.Reply send(Http node, String token, String id) {
    return node.post("/api/v1/messages", Map.of("id", id, "to", "reader", "text", "消息 " + id), token);
  }

  @Test
  void concurrentUploadsOnBothNodesStayWithinTheQuotaAndTheCap() {
    String owner = tokens.get("uploader");
    List<Tus> tus = List.of(new Tus(nodes.first().http()), new Tus(nodes.second().http()));
    // 300 bytes each against a quota of 1000: three fit, whichever nodes they arrive on.
    List<Integer> statuses = allAtOnce(8, i -> tus.get(i % 2)
        .create(owner, 300, metadata(Map.of("filename", "文件" + i + ".bin", "to", "receiver"))).statusCode());
    assertThat(statuses).filteredOn(status -> status == 201).hasSize(3);
    assertThat(statuses).filteredOn(status -> status == 413).hasSize(5);

    // Deferred lengths take no bytes yet: the cap of four uploads in progress is what stops them.
    List<Integer> deferred = allAtOnce(6, i -> tus.get(i % 2)
        .send("POST", "/api/v1/uploads", owner, Tus.headers("Upload-Defer-Length", "1",
            "Upload-Metadata", metadata(Map.of("filename", "延后" + i + ".bin", "to", "receiver"))), null)
        .statusCode());
    assertThat(deferred).filteredOn(status -> status == 201).hasSize(1);
    assertThat(deferred).filteredOn(status -> status == 429).hasSize(5);
  }

  /** Runs {@code request(0..count-1)} on threads of their own, released together; their results in order. */
  private static List<Integer> allAtOnce(int count, IntFunction<Integer> request) {
    ExecutorService threads = Executors.newFixedThreadPool(count);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<Integer>> results = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int n = i;
        results.add(CompletableFuture.supplyAsync(() -> {
          awaitQuietly(go);
          return request.apply(n);
        }, threads));
      }
      go.countDown();
      return results.stream().map(CompletableFuture::join).toList();
    } finally {
      threads.shutdownNow();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
