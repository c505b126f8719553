package dev.parley.server.files;

import static dev.parley.server.testing.Tus.metadata;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Tus;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** {@code max-uploads-per-user} holds when one user's creations race each other. */
@ParleyServerTest
class UploadCapTest {
  @Test
  void sixtyConcurrentCreationsLeaveExactlyTheCapInProgress(TestServer server, TestUsers users) throws Exception {
    String alice = users.create("alice").token();
    users.create("bob");
    String toBob = metadata(Map.of("filename", "a.txt", "to", "bob"));
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> statuses = new ArrayList<>();
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 60; i++) {
        // A client each: every POST travels on its own connection.
        Tus tus = new Tus(server.http());
        statuses.add(clients.submit(() -> {
          go.await();
          HttpResponse<String> created = tus.create(alice, 10, toBob);
          return created.statusCode();
        }));
      }
      go.countDown();
      List<Integer> codes = new ArrayList<>();
      for (Future<Integer> status : statuses) {
        codes.add(status.get());
      }

      assertThat(codes).filteredOn(code -> code == 201).hasSize(20);
      assertThat(codes).filteredOn(code -> code == 429).hasSize(40);
    }
  }
}
