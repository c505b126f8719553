package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.server.testing.OwnServer;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley rooms}, {@code parley room ...} and rooms in {@code send}, {@code history} and {@code upload}, in-process against a real server. */
@ParleyServerTest
@OwnServer
class CliRoomsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;

  private final TestServer server;
  private final TestUsers users;

  CliRoomsTest(TestServer server, TestUsers users) {
    this.server = server;
    this.users = users;
  }

  private InProcessCli loggedIn(String user) {
    return InProcessCli.loggedIn(home, server, user);
  }

  @Test
  void roomCreatePrintsTheIdAndRoomsListsItWithUnreadCounts() {
    InProcessCli alice = loggedIn("alice");
    InProcessCli bob = loggedIn("bob");

    String id = alice.succeeds("room", "create", "lab", "bob").strip();
    alice.succeeds("send", "#lab", "hello", "lab");
    bob.succeeds("room", "create", "--open", "实验室");

    assertThat(alice.succeeds("rooms")).isEqualTo("#lab  " + id + "  2 members  0 unread\n");
    assertThat(bob.succeeds("rooms").lines())
        .hasSize(2)
        .anySatisfy(line -> assertThat(line).matches("#实验室  \\S+  1 member  0 unread  open"))
        .anySatisfy(line -> assertThat(line).matches("#lab  " + id + "  2 members  [1-9]\\d* unread"));
  }

  @Test
  void roomsJsonPrintsTheServersFields() throws IOException {
    InProcessCli alice = loggedIn("alice");
    String id = alice.succeeds("room", "create", "--open", "club").strip();

    JsonNode rooms = JSON.readTree(alice.succeeds("rooms", "--json"));

    assertThat(rooms).singleElement().satisfies(room -> {
      assertThat(room.get("room").asText()).isEqualTo(id);
      assertThat(room.get("name").asText()).isEqualTo("club");
      assertThat(room.get("open").asBoolean()).isTrue();
      assertThat(room.get("role").asText()).isEqualTo("owner");
      assertThat(room.get("members").asInt()).isEqualTo(1);
      assertThat(room.get("unread").asLong()).isZero();
      assertThat(room.get("lastSeq").asLong()).isPositive();
    });
  }

  @Test
  void historyOfARoomShowsMembershipInWords() {
    InProcessCli alice = loggedIn("alice");
    InProcessCli bob = loggedIn("bob");
    users.create("carol");
    String id = alice.succeeds("room", "create", "lab", "bob").strip();
    assertThat(alice.succeeds("room", "add", "#lab", "carol")).isEqualTo("added carol to #lab\n");
    bob.succeeds("send", "--room", id, "hi all");
    assertThat(alice.succeeds("room", "remove", id, "carol")).isEqualTo("removed carol from #lab\n");
    assertThat(alice.succeeds("room", "rename", "#lab", "实验室")).isEqualTo("renamed to #实验室\n");

    List<String> lines = bob.succeeds("history", "#实验室").lines().toList();

    assertThat(lines).satisfiesExactly(
        line -> assertThat(line).matches(InProcessCli.TIME + "-- alice created the room #lab"),
        line -> assertThat(line).matches(InProcessCli.TIME + "-- alice added bob"),
        line -> assertThat(line).matches(InProcessCli.TIME + "-- alice added carol"),
        line -> assertThat(line).matches(InProcessCli.TIME + "bob: hi all"),
        line -> assertThat(line).matches(InProcessCli.TIME + "-- alice removed carol"),
        line -> assertThat(line).matches(InProcessCli.TIME + "-- alice renamed the room to #实验室"));
    assertThat(bob.succeeds("history", "--room", id, "--limit", "1").lines())
        .singleElement().satisfies(line -> assertThat(line).endsWith("-- alice renamed the room to #实验室"));
  }

  @Test
  void historyJsonCarriesTheRoomAndTheEvent() throws IOException {
    InProcessCli alice = loggedIn("alice");
    String id = alice.succeeds("room", "create", "lab").strip();
    alice.succeeds("send", "#lab", "note");

    JsonNode messages = JSON.readTree(alice.succeeds("history", "#lab", "--json"));

    assertThat(messages).hasSize(2);
    assertThat(messages.get(0).get("room").asText()).isEqualTo(id);
    assertThat(messages.get(0).get("event").get("kind").asText()).isEqualTo("created");
    assertThat(messages.get(0).get("event").get("name").asText()).isEqualTo("lab");
    assertThat(messages.get(1).get("text").asText()).isEqualTo("note");
    assertThat(messages.get(1).has("to")).isFalse();
  }

  @Test
  void anOpenRoomIsJoinedByNameAndLeft() {
    InProcessCli alice = loggedIn("alice");
    InProcessCli bob = loggedIn("bob");
    alice.succeeds("room", "create", "--open", "reading group");

    assertThat(bob.succeeds("room", "join", "#reading group")).isEqualTo("joined #reading group (2 members)\n");
    assertThat(bob.succeeds("room", "members", "#reading group")).isEqualTo("alice  owner\nbob  member\n");
    assertThat(bob.succeeds("room", "leave", "#reading group")).isEqualTo("left #reading group\n");
    assertThat(bob.succeeds("rooms")).isEmpty();
    assertThat(alice.succeeds("room", "members", "#reading group")).isEqualTo("alice  owner\n");
  }

  @Test
  void refusalsExitOneWithTheServersMessage() {
    InProcessCli alice = loggedIn("alice");
    InProcessCli bob = loggedIn("bob");
    String id = alice.succeeds("room", "create", "lab", "bob").strip();
    String secret = alice.succeeds("room", "create", "secret").strip();

    InProcessCli.Run notAllowed = bob.run("room", "remove", "#lab", "alice");
    InProcessCli.Run notAMember = bob.run("send", "--room", secret, "let me in");
    InProcessCli.Run noSuchRoom = bob.run("history", "#nowhere");

    assertThat(notAllowed.exitCode()).isEqualTo(1);
    assertThat(notAllowed.err()).isEqualTo("parley: only the room's owner or admins may do that\n");
    assertThat(notAMember.exitCode()).isEqualTo(1);
    assertThat(notAMember.err()).isEqualTo("parley: no room '" + secret + "'\n");
    assertThat(noSuchRoom.exitCode()).isEqualTo(1);
    assertThat(noSuchRoom.err()).isEqualTo("parley: no room 'nowhere'\n");
    assertThat(bob.succeeds("rooms")).startsWith("#lab  " + id);
  }

  @Test
  void twoRoomsWithOneNameAreToldApartById() throws IOException {
    InProcessCli alice = loggedIn("alice");
    String first = alice.succeeds("room", "create", "lab").strip();
    String second = alice.succeeds("room", "create", "lab").strip();

    InProcessCli.Run ambiguous = alice.run("send", "#lab", "which one?");

    assertThat(ambiguous.exitCode()).isEqualTo(1);
    assertThat(ambiguous.err()).isIn(
        "parley: 2 rooms are named lab (ids " + first + ", " + second + "); name one by its id\n",
        "parley: 2 rooms are named lab (ids " + second + ", " + first + "); name one by its id\n");
    String sent = alice.succeeds("send", "#" + second, "this one");
    JsonNode rooms = JSON.readTree(alice.succeeds("rooms", "--json"));
    assertThat(rooms).filteredOn(room -> room.get("room").asText().equals(second))
        .singleElement().satisfies(room -> assertThat("sent seq=" + room.get("lastSeq").asLong() + "\n").isEqualTo(sent));
  }

  @Test
  void sendWithARoomNeedsText() {
    InProcessCli alice = loggedIn("alice");

    assertThat(alice.run("send", "--room", "lab").exitCode()).isEqualTo(2);
    assertThat(alice.run("send", "#lab").exitCode()).isEqualTo(2);
    assertThat(alice.run("upload", "--room", "lab", "a", "b").exitCode()).isEqualTo(2);
    assertThat(alice.run("history").exitCode()).isEqualTo(2);
    assertThat(alice.run("room").exitCode()).isEqualTo(2);
  }

  @Test
  void uploadToARoomReachesItsMembers() throws IOException {
    InProcessCli alice = loggedIn("alice");
    InProcessCli bob = loggedIn("bob");
    String id = alice.succeeds("room", "create", "lab", "bob").strip();
    Files.writeString(alice.workingDir().resolve("名单.txt"), "alice\nbob\n");

    String sent = alice.succeeds("upload", "--room", id, "名单.txt");

    assertThat(sent).matches("sent file \\S+ \\(名单.txt, 10 bytes\\) seq=\\d+\n");
    String fileId = sent.split(" ")[2];
    bob.succeeds("download", fileId);
    assertThat(bob.workingDir().resolve("名单.txt")).hasContent("alice\nbob\n");
  }
}
