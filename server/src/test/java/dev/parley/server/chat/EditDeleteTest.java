package dev.parley.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.SharedServerTest;
import dev.parley.server.testing.TestUser;
import dev.parley.server.testing.Transport;
import dev.parley.server.testing.Tus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EditDeleteTest extends SharedServerTest {
  private static ServerFrame.Ack ack(FrameClient client, ClientFrame request) {
    client.send(request);
    return client.nextMatching(ServerFrame.Ack.class, ack -> request.id().equals(ack.id()));
  }

  private static List<ServerFrame.Message> history(FrameClient client, String with) {
    client.send(new ClientFrame.History("h-" + with, with, null, null));
    return client.nextMatching(ServerFrame.History.class, h -> ("h-" + with).equals(h.id())).messages();
  }

  private static ServerFrame.Conversation conversationWith(FrameClient client, String with) {
    client.send(new ClientFrame.Conversations("cv"));
    return client.nextMatching(ServerFrame.Conversations.class, c -> "cv".equals(c.id())).conversations().stream()
        .filter(c -> with.equals(c.with())).findFirst().orElseThrow();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void editsAndDeletesReachTheOtherConnectionsLiveAndHistoryShowsTheCurrentState(Transport transport) {
    TestUser alice = user("alice");
    TestUser bob = user("鲍勃");
    try (FrameClient a1 = transport.connect(server, alice.token(), null);
        FrameClient a2 = transport.connect(server, users.login(alice.username()).token(), null);
        FrameClient b = transport.connect(server, bob.token(), null)) {
      long first = a1.sendMessage("m1", bob.username(), "helo").seq();
      long second = a1.sendMessage("m2", bob.username(), "oops").seq();
      ServerFrame.Ack edit = ack(a1, new ClientFrame.Edit("e1", first, "hello 你好"));
      ServerFrame.Ack delete = ack(a1, new ClientFrame.Delete("d1", second));
      assertThat(edit.seq()).isGreaterThan(second);
      assertThat(delete.seq()).isGreaterThan(edit.seq());

      ServerFrame.Message editEntry = new ServerFrame.Message(edit.seq(), null, alice.username(), null, bob.username(), first, null,
          "hello 你好", null, null, null, null, null, edit.ts());
      ServerFrame.Message deleteEntry = new ServerFrame.Message(delete.seq(), null, alice.username(), null, bob.username(), null,
          second, null, null, null, null, null, null, delete.ts());
      for (FrameClient other : List.of(b, a2)) {
        assertThat(other.nextMatching(ServerFrame.Message.class, m -> m.edits() != null)).isEqualTo(editEntry);
        assertThat(other.nextMatching(ServerFrame.Message.class, m -> m.deletes() != null)).isEqualTo(deleteEntry);
      }
      assertThat(a1.drain()).as("the connection that edited gets its ack, not a copy")
          .noneMatch(frame -> frame instanceof ServerFrame.Message m && m.isEntry());

      assertThat(history(b, alice.username())).satisfiesExactly(
          m -> {
            assertThat(m.seq()).isEqualTo(first);
            assertThat(m.text()).isEqualTo("hello 你好");
            assertThat(m.edited()).isTrue();
          },
          m -> {
            assertThat(m.seq()).isEqualTo(second);
            assertThat(m.deleted()).isTrue();
            assertThat(m.text()).isNull();
          });
      ServerFrame.Conversation conversation = conversationWith(b, alice.username());
      assertThat(conversation.last().seq()).as("the newest message, not an entry").isEqualTo(second);
      assertThat(conversation.last().deleted()).isTrue();
      assertThat(conversation.unread()).as("entries are not unread messages, nor is the deleted one").isEqualTo(1);
      assertThat(conversation.lastSeq()).isEqualTo(delete.seq());
    }
  }

  @Test
  void replayCarriesTheEntriesToADeviceThatWasAway() {
    TestUser alice = user("alice");
    TestUser bob = user("bob");
    long first;
    try (FrameClient a = connect(alice); FrameClient b = connect(bob)) {
      first = a.sendMessage("m1", bob.username(), "draft").seq();
      b.nextMatching(ServerFrame.Message.class, m -> m.seq() == first);
    }
    try (FrameClient a = connect(alice)) {
      ack(a, new ClientFrame.Edit("e1", first, "final"));
      ack(a, new ClientFrame.Delete("d1", first));
    }
    try (FrameClient b = Transport.WEBSOCKET.connect(server, bob.token(), first)) {
      assertThat(b.nextMatching(ServerFrame.Message.class, m -> m.edits() != null)).satisfies(m -> {
        assertThat(m.edits()).isEqualTo(first);
        assertThat(m.text()).isEqualTo("final");
      });
      assertThat(b.nextMatching(ServerFrame.Message.class, m -> m.deletes() != null).deletes()).isEqualTo(first);
    }
  }

  @Test
  void onlyTheSenderMayEditOrDeleteAndADeletedMessageIsGone() {
    TestUser alice = user("alice");
    TestUser bob = user("bob");
    TestUser eve = user("eve");
    try (FrameClient a = connect(alice); FrameClient b = connect(bob); FrameClient e = connect(eve)) {
      long seq = a.sendMessage("m1", bob.username(), "mine").seq();
      long file = a.sendMessage("m2", bob.username(), "text").seq();
      assertThat(error(b, new ClientFrame.Edit("x1", seq, "hijack"))).satisfies(err -> {
        assertThat(err.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(err.message()).isEqualTo("only the sender can edit a message");
      });
      assertThat(error(b, new ClientFrame.Delete("x2", seq)).code()).isEqualTo(ErrorCode.FORBIDDEN);
      assertThat(error(e, new ClientFrame.Edit("x3", seq, "peek")).code()).as("not her conversation").isEqualTo(ErrorCode.NOT_FOUND);
      assertThat(error(a, new ClientFrame.Edit("x4", 1_000_000_000L, "none")).code()).isEqualTo(ErrorCode.NOT_FOUND);
      assertThat(error(a, new ClientFrame.Edit("x5", seq, "")).code()).isEqualTo(ErrorCode.BAD_REQUEST);
      assertThat(error(a, new ClientFrame.Edit("x6", seq, "x".repeat(10_001))).code()).isEqualTo(ErrorCode.TOO_LARGE);

      ServerFrame.Ack deleted = ack(a, new ClientFrame.Delete("d1", seq));
      assertThat(ack(a, new ClientFrame.Delete("d1", seq))).as("a retried id gets the same ack").isEqualTo(deleted);
      assertThat(error(a, new ClientFrame.Delete("d2", seq)).code()).isEqualTo(ErrorCode.GONE);
      assertThat(error(a, new ClientFrame.Edit("e2", seq, "back")).code()).isEqualTo(ErrorCode.GONE);
      assertThat(error(a, new ClientFrame.Edit("e3", deleted.seq(), "entry")).code()).as("an entry is no message")
          .isEqualTo(ErrorCode.FORBIDDEN);
      assertThat(ack(a, new ClientFrame.Edit("e4", file, "edited")).seq()).isGreaterThan(deleted.seq());
    }
  }

  @Test
  void deletingAFileMessageDeletesTheFile(Tus tus) {
    TestUser alice = user("alice");
    TestUser bob = user("bob");
    try (FrameClient a = connect(alice)) {
      String fileId = tus.uploadWhole(alice.token(), "bytes".getBytes(StandardCharsets.UTF_8), "报告.pdf", bob.username());
      ServerFrame.Message message = a.nextMatching(ServerFrame.Message.class, m -> m.file() != null);
      assertThat(tus.download(bob.token(), fileId, Map.of()).statusCode()).isEqualTo(200);
      assertThat(error(a, new ClientFrame.Edit("e1", message.seq(), "text")).message()).isEqualTo("a file message has no text to edit");

      ack(a, new ClientFrame.Delete("d1", message.seq()));

      assertThat(tus.download(bob.token(), fileId, Map.of()).statusCode()).isEqualTo(410);
      assertThat(server.dataDir().resolve("files").resolve(fileId)).doesNotExist();
    }
  }
}
