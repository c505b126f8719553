package dev.parley.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.SharedServerTest;
import dev.parley.server.testing.TestUser;
import dev.parley.server.testing.Transport;
import dev.parley.server.testing.Tus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SearchTest extends SharedServerTest {
  static ServerFrame.Search search(FrameClient client, ClientFrame.Search request) {
    client.send(request);
    return client.nextMatching(ServerFrame.Search.class, reply -> request.id().equals(reply.id()));
  }

  static List<String> texts(ServerFrame.Search reply) {
    return reply.messages().stream().map(ServerFrame.Message::text).toList();
  }

  private static String createRoom(FrameClient owner, String name, String... members) {
    owner.send(new ClientFrame.CreateRoom("c-" + name, name, List.of(members), false));
    return owner.nextMatching(ServerFrame.Room.class, r -> ("c-" + name).equals(r.id())).room().room();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void findsChineseWithoutWordBreaksByTrigramsAndByTheShortQueryFallback(Transport transport) {
    TestUser alice = user("alice");
    TestUser bob = user("鲍勃");
    try (FrameClient a = transport.connect(server, alice.token(), null)) {
      long report = a.sendMessage("m1", bob.username(), "我们的季度报告在这里").seq();
      a.sendMessage("m2", bob.username(), "明天开会");
      long second = a.sendMessage("m3", bob.username(), "Report 报告 v2").seq();

      ServerFrame.Search trigram = search(a, new ClientFrame.Search("s1", "季度报告"));
      assertThat(trigram.q()).isEqualTo("季度报告");
      assertThat(trigram.messages()).singleElement().satisfies(hit -> {
        assertThat(hit.seq()).isEqualTo(report);
        assertThat(hit.from()).isEqualTo(alice.username());
        assertThat(hit.to()).isEqualTo(bob.username());
        assertThat(hit.text()).isEqualTo("我们的季度报告在这里");
      });
      assertThat(search(a, new ClientFrame.Search("s2", "报告")).messages()).as("two characters: the fallback, newest first")
          .extracting(ServerFrame.Message::seq).containsExactly(second, report);
      assertThat(texts(search(a, new ClientFrame.Search("s3", "REPORT")))).as("case-insensitive").containsExactly("Report 报告 v2");
      assertThat(texts(search(a, new ClientFrame.Search("s4", "会")))).containsExactly("明天开会");
      assertThat(search(a, new ClientFrame.Search("s5", "报告", null, bob.username(), second, null)).messages())
          .as("before").extracting(ServerFrame.Message::seq).containsExactly(report);
      assertThat(search(a, new ClientFrame.Search("s6", "报告", null, null, null, 1)).messages())
          .as("limit").extracting(ServerFrame.Message::seq).containsExactly(second);
    }
  }

  @Test
  void searchesOverHttpWithTheSameMessageObjects(Http http) {
    TestUser alice = user("alice");
    TestUser bob = user("bob");
    try (FrameClient a = connect(alice)) {
      long seq = a.sendMessage("m1", bob.username(), "请看附件里的报告书").seq();
      Http.Reply reply = http.get("/api/v1/search?q=" + URLEncoder.encode("报告书", StandardCharsets.UTF_8)
          + "&with=" + alice.username(), bob.token());
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.body().get("q").asText()).isEqualTo("报告书");
      assertThat(reply.body().get("messages")).singleElement().satisfies(hit -> {
        assertThat(hit.get("type").asText()).isEqualTo("message");
        assertThat(hit.get("seq").asLong()).isEqualTo(seq);
        assertThat(hit.get("text").asText()).isEqualTo("请看附件里的报告书");
      });
      assertThat(http.get("/api/v1/search?q=%20%20", bob.token()).errorCode()).isEqualTo("bad_request");
      assertThat(http.get("/api/v1/search?q=x", null).status()).isEqualTo(401);
    }
  }

  @Test
  void onlyMessagesTheUserCanSeeMatch() {
    TestUser alice = user("alice");
    TestUser bob = user("bob");
    TestUser carol = user("carol");
    try (FrameClient a = connect(alice); FrameClient b = connect(bob); FrameClient c = connect(carol)) {
      a.sendMessage("d1", bob.username(), "秘密计划 alpha");
      String room = createRoom(a, "lab", bob.username());
      b.sendRoomMessage("r1", room, "秘密计划 before leaving");
      assertThat(texts(search(c, new ClientFrame.Search("c1", "秘密计划")))).as("others' direct chats and rooms").isEmpty();
      assertThat(texts(search(c, new ClientFrame.Search("c2", "秘密")))).as("fallback too").isEmpty();
      assertThat(error(c, new ClientFrame.Search("c3", "秘密计划", room, null, null, null)).code()).isEqualTo(ErrorCode.NOT_FOUND);

      b.send(new ClientFrame.Leave("l", room));
      b.nextMatching(ServerFrame.Left.class, left -> "l".equals(left.id()));
      a.sendRoomMessage("r2", room, "秘密计划 after bob left");

      assertThat(texts(search(b, new ClientFrame.Search("b1", "秘密计划"))))
          .as("bob sees what was said while he was a member, never after")
          .containsExactly("秘密计划 before leaving", "秘密计划 alpha");
      assertThat(texts(search(b, new ClientFrame.Search("b2", "秘密")))).containsExactly("秘密计划 before leaving", "秘密计划 alpha");
      assertThat(texts(search(a, new ClientFrame.Search("a1", "秘密计划", room, null, null, null))))
          .containsExactly("秘密计划 after bob left", "秘密计划 before leaving");
      assertThat(error(a, new ClientFrame.Search("a2", " ")).message()).isEqualTo("q is empty");
      assertThat(error(a, new ClientFrame.Search("a3", "x".repeat(201))).code()).isEqualTo(ErrorCode.BAD_REQUEST);
      assertThat(texts(search(a, new ClientFrame.Search("a4", "lab")))).as("membership entries never match").isEmpty();
    }
  }

  @Test
  void fileMessagesMatchOnTheirName(Tus tus) {
    TestUser alice = user("alice");
    TestUser bob = user("bob");
    try (FrameClient b = connect(bob)) {
      String fileId = tus.uploadWhole(alice.token(), "pdf bytes".getBytes(StandardCharsets.UTF_8), "季度报告.pdf", bob.username());
      b.nextMatching(ServerFrame.Message.class, m -> m.file() != null);
      for (String q : List.of("季度报告", "报告", ".pdf")) {
        assertThat(search(b, new ClientFrame.Search("f-" + q, q)).messages()).as(q).singleElement()
            .satisfies(hit -> assertThat(hit.file().id()).isEqualTo(fileId));
      }
    }
  }

  @Test
  void aHitHoldsTheWholeQueryInOnePlaceNotJustItsPiecesAndIgnoresCaseInAnyScript() {
    TestUser alice = user("alice");
    TestUser bob = user("bob");
    try (FrameClient a = connect(alice)) {
      a.sendMessage("m1", bob.username(), "季度报 and 度报告 apart");
      long together = a.sendMessage("m2", bob.username(), "季度报告").seq();
      long shouted = a.sendMessage("m3", bob.username(), "ПРИВЕТ, ΣΊΣΥΦΟΣ").seq();

      assertThat(search(a, new ClientFrame.Search("s1", "季度报告")).messages()).as("each trigram is in m1, the text is not")
          .extracting(ServerFrame.Message::seq).containsExactly(together);
      assertThat(search(a, new ClientFrame.Search("s2", "привет, σίσυφοσ")).messages())
          .extracting(ServerFrame.Message::seq).containsExactly(shouted);
    }
  }

  @Test
  void anEditedMessageIsFoundByItsNewTextAndADeletedOneNeverMatches() {
    TestUser alice = user("alice");
    TestUser bob = user("bob");
    try (FrameClient a = connect(alice)) {
      long seq = a.sendMessage("m1", bob.username(), "旧的文字 draft").seq();
      long gone = a.sendMessage("m2", bob.username(), "要删除的文字").seq();
      a.send(new ClientFrame.Edit("e1", seq, "新的文字 final"));
      a.nextMatching(ServerFrame.Ack.class, ack -> "e1".equals(ack.id()));
      a.send(new ClientFrame.Delete("d1", gone));
      a.nextMatching(ServerFrame.Ack.class, ack -> "d1".equals(ack.id()));

      assertThat(search(a, new ClientFrame.Search("s1", "旧的文字")).messages()).isEmpty();
      assertThat(search(a, new ClientFrame.Search("s2", "新的文字")).messages()).singleElement().satisfies(hit -> {
        assertThat(hit.seq()).isEqualTo(seq);
        assertThat(hit.edited()).isTrue();
      });
      assertThat(texts(search(a, new ClientFrame.Search("s3", "文字")))).containsExactly("新的文字 final");
      assertThat(search(a, new ClientFrame.Search("s4", "要删除的")).messages()).isEmpty();
    }
  }
}
