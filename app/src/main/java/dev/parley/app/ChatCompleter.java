package dev.parley.app;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/** Tab completion at the chat prompt: command names first, then user names where a command takes one. */
final class ChatCompleter implements Completer {
  private final Supplier<List<String>> users;

  /** {@code users} is asked on every completion, so it sees the list as presence changes it. */
  ChatCompleter(Supplier<List<String>> users) {
    this.users = users;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    if (line.wordIndex() == 0) {
      if (line.word().startsWith("/")) {
        ChatInput.COMMANDS.forEach(command -> candidates.add(new Candidate(command)));
      }
      return;
    }
    String command = line.words().getFirst().toLowerCase(Locale.ROOT);
    if (line.wordIndex() == 1 && ChatInput.TAKE_A_USER.contains(command)) {
      users.get().forEach(user -> candidates.add(new Candidate(user)));
    }
  }
}
