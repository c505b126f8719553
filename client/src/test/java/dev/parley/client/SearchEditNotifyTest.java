package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.NotifyLevel;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Search, edit, delete and notification levels through the client library, against a real server. */
@ParleyServerTest
class SearchEditNotifyTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final TestServer server;
  private final TestUsers users;
  private final ParleyClient rest;
  private final List<ParleyConnection> opened = new CopyOnWriteArrayList<>();

  SearchEditNotifyTest(TestServer server, TestUsers users) {
    this.server = server;
    this.users = users;
    rest = new ParleyClient(server.http());
  }

  @AfterEach
  void stop() {
    opened.forEach(ParleyConnection::close);
    rest.close();
  }

  private ParleyConnection connect(String token, Inbox inbox) {
    ParleyConnection connection = ParleyConnection.connect(server.http(), token, null, inbox.frames::add);
    opened.add(connection);
    return connection;
  }

  private static <T> T join(CompletableFuture<T> reply) {
    return reply.orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  @Test
  void searchEditDeleteAndNotifyCompleteWithTheirReplies() {
    String alice = users.create("alice").token();
    String bob = users.create("bob").token();
    Inbox bobInbox = new Inbox();
    ParleyConnection aliceLive = connect(alice, new Inbox());
    connect(bob, bobInbox);

    long seq = join(aliceLive.sendMessage("bob", "周五的会议纪要")).seq();
    long other = join(aliceLive.sendMessage("bob", "to delete")).seq();
    assertThat(join(aliceLive.search("会议纪要", null, "bob", null, null))).extracting(ServerFrame.Message::seq).containsExactly(seq);
    assertThat(rest.search(bob, "会议", null, "alice", null, 5)).extracting(ServerFrame.Message::seq).containsExactly(seq);

    ServerFrame.Ack edited = join(aliceLive.edit("e1", seq, "周六的会议纪要"));
    ServerFrame.Ack deleted = join(aliceLive.delete("d1", other));
    await().atMost(WAIT).untilAsserted(() -> assertThat(bobInbox.messages())
        .anyMatch(m -> m.seq() == edited.seq() && Long.valueOf(seq).equals(m.edits()))
        .anyMatch(m -> m.seq() == deleted.seq() && Long.valueOf(other).equals(m.deletes())));
    assertThat(rest.search(bob, "周六", null, null, null, null)).singleElement()
        .satisfies(hit -> assertThat(hit.edited()).isTrue());
    assertThatThrownBy(() -> join(aliceLive.delete("d2", other))).hasCauseInstanceOf(ParleyClientException.class)
        .cause().satisfies(e -> assertThat(((ParleyClientException) e).code()).isEqualTo(ErrorCode.GONE));

    assertThat(join(aliceLive.notifyLevel(null, "bob", NotifyLevel.MENTIONS))).isEqualTo(NotifyLevel.MENTIONS);
    assertThat(rest.conversations(alice)).singleElement()
        .satisfies(c -> assertThat(c.notifyLevel()).isEqualTo(NotifyLevel.MENTIONS));
  }
}
