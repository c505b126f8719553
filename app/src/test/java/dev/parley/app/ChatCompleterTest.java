package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;

class ChatCompleterTest {
  private final ChatCompleter completer = new ChatCompleter(() -> List.of("alice", "bob"), () -> List.of("#lab", "#k3q9w1x7"));

  private List<String> complete(String line) {
    List<Candidate> candidates = new ArrayList<>();
    completer.complete(null, new DefaultParser().parse(line, line.length()), candidates);
    return candidates.stream().map(Candidate::value).toList();
  }

  @Test
  void completesCommandNamesAtTheStart() {
    assertThat(complete("/")).containsExactlyElementsOf(ChatInput.COMMANDS);
    assertThat(complete("hel")).isEmpty();
  }

  @Test
  void completesUserNamesWhereACommandTakesOne() {
    assertThat(complete("/msg ")).containsExactly("alice", "bob", "#lab", "#k3q9w1x7");
    assertThat(complete("/to b")).containsExactly("alice", "bob", "#lab", "#k3q9w1x7"); // the reader filters by prefix
    assertThat(complete("/send bob ")).isEmpty();
    assertThat(complete("/help ")).isEmpty();
  }

  @Test
  void completesRoomsWhereACommandTakesOneAndUsersAfterCreate() {
    assertThat(complete("/join #")).containsExactly("#lab", "#k3q9w1x7");
    assertThat(complete("/leave ")).containsExactly("#lab", "#k3q9w1x7");
    assertThat(complete("/create lab ")).containsExactly("alice", "bob");
    assertThat(complete("/create lab bob ")).containsExactly("alice", "bob");
    assertThat(complete("/join lab ")).isEmpty();
  }

  @Test
  void aRoomWithSpacesInItsNameCompletesToALineThatParsesBack() {
    ChatCompleter rooms = new ChatCompleter(List::of, () -> List.of("#reading group"));
    List<Candidate> candidates = new ArrayList<>();
    rooms.complete(null, new DefaultParser().parse("/to #rea", 8), candidates);
    CompletingParsedLine typed = (CompletingParsedLine) new DefaultParser().parse("/to #rea", 8);
    String completed = "/to " + typed.escape(candidates.getFirst().value(), true);

    assertThat(completed).isEqualTo("/to #reading\\ group");
    assertThat(ChatInput.parse(completed)).isEqualTo(new ChatInput.To("#reading group"));
  }
}
