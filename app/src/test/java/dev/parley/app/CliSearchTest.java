package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyConnection;
import dev.parley.server.testing.OwnServer;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley search}, in-process against a real server. */
@ParleyServerTest
@OwnServer
class CliSearchTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;

  private final TestServer server;

  CliSearchTest(TestServer server) {
    this.server = server;
  }

  private InProcessCli loggedIn(String user) {
    return InProcessCli.loggedIn(home, server, user);
  }

  private static long seq(String sent) {
    return Long.parseLong(sent.strip().substring("sent seq=".length()));
  }

  @Test
  void findsChineseNewestFirstWithConversationSeqAndSender() {
    InProcessCli alice = loggedIn("alice");
    InProcessCli bob = loggedIn("bob");
    alice.succeeds("room", "create", "实验室", "bob");
    long first = seq(alice.succeeds("send", "bob", "请看周报告"));
    long second = seq(bob.succeeds("send", "#实验室", "报告已经写好了"));
    bob.succeeds("send", "alice", "nothing to see");

    List<String> lines = alice.succeeds("search", "报告").lines().toList();

    assertThat(lines).satisfiesExactly(
        line -> assertThat(line).matches(InProcessCli.TIME + "#实验室  #" + second + "  bob: 报告已经写好了"),
        line -> assertThat(line).matches(InProcessCli.TIME + "with bob  #" + first + "  alice: 请看周报告"));
    assertThat(alice.succeeds("search", "--with", "bob", "报告").lines()).singleElement()
        .satisfies(line -> assertThat(line).contains("#" + first + "  alice: 请看周报告"));
    assertThat(bob.succeeds("search", "--room", "#实验室", "报告").lines()).singleElement()
        .satisfies(line -> assertThat(line).contains("#" + second + "  bob: 报告已经写好了"));
    assertThat(alice.succeeds("search", "报", "--limit", "1").lines()).singleElement()
        .satisfies(line -> assertThat(line).contains("#" + second));
    assertThat(alice.succeeds("search", "no such words")).isEqualTo("no messages match no such words\n");
  }

  @Test
  void showsFileNamesEditsAndHostileTextMadeVisible() throws IOException {
    InProcessCli alice = loggedIn("alice");
    InProcessCli bob = loggedIn("bob");
    Files.writeString(alice.workingDir().resolve("季度报告.txt"), "numbers\n");
    alice.succeeds("upload", "bob", "季度报告.txt");
    long edited = seq(alice.succeeds("send", "bob", "draft report"));
    bob.succeeds("send", "alice", "report\u001b[2J\u001b]0;pwned\u0007 \u202Eevil");
    String token = new CredentialsFile(alice.configDir()).load().orElseThrow().token();
    try (ParleyClient client = new ParleyClient(server.http());
        ParleyConnection connection = client.connect(token, Long.MAX_VALUE, frame -> {})) {
      SignedIn.await(connection.edit("e1", edited, "final report"));
    }

    String found = alice.succeeds("search", "report");
    String files = alice.succeeds("search", "季度报告");

    assertThat(found.lines().toList()).satisfiesExactly(
        line -> assertThat(line).endsWith("bob: report^[[2J^[]0;pwned^G \\u202Eevil"),
        line -> assertThat(line).endsWith("#" + edited + "  alice: final report (edited)"));
    assertThat(found).doesNotContain("\u001b", "\u0007", "\u202e");
    assertThat(files).matches(InProcessCli.TIME + "with bob  #\\d+  alice: \\[file 季度报告.txt, 8 bytes, id \\S+]\n");
  }

  @Test
  void jsonPrintsTheServersMessageObjects() throws IOException {
    InProcessCli alice = loggedIn("alice");
    loggedIn("bob");
    long seq = seq(alice.succeeds("send", "bob", "hello search"));

    JsonNode hits = JSON.readTree(alice.succeeds("search", "search", "--json"));

    assertThat(hits).singleElement().satisfies(hit -> {
      assertThat(hit.get("seq").asLong()).isEqualTo(seq);
      assertThat(hit.get("from").asText()).isEqualTo("alice");
      assertThat(hit.get("to").asText()).isEqualTo("bob");
      assertThat(hit.get("text").asText()).isEqualTo("hello search");
    });
  }

  @Test
  void mistakesAreUsageErrors() {
    InProcessCli alice = loggedIn("alice");

    assertThat(alice.run("search").exitCode()).isEqualTo(2);
    assertThat(alice.run("search", "--room", "lab", "--with", "bob", "x").exitCode()).isEqualTo(2);
    assertThat(alice.run("search", "--limit", "0", "x").exitCode()).isEqualTo(2);
  }
}
