package dev.parley.app;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion at the chat prompt: command names first, then user names and rooms ({@code
 * #lab}) where a command takes one, and user names after {@code /create NAME}.
 */
final class ChatCompleter implements Completer {
  private final Supplier<List<String>> users;
  private final Supplier<List<String>> rooms;

  /**
   * Both are asked on every completion, so they see the lists as they change.
   *
   * @param rooms how to name each room of the user's at the prompt ({@link ChatRooms#completions()})
   */
  ChatCompleter(Supplier<List<String>> users, Supplier<List<String>> rooms) {
    this.users = users;
    this.rooms = rooms;
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
    if (line.wordIndex() == 1 && ChatInput.TAKE_A_ROOM.contains(command)) {
      rooms.get().forEach(room -> candidates.add(new Candidate(room)));
    }
    if (line.wordIndex() >= 2 && command.equals("/create")) {
      users.get().forEach(user -> candidates.add(new Candidate(user)));
    }
  }
}
