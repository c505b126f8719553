package dev.parley.app;

import dev.parley.protocol.NotifyLevel;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * One line typed at the chat prompt, parsed. A line starting with {@code /} is a command; any
 * other non-blank line is text for the current {@code /to} target. Where a command takes a user
 * it takes a room too, as {@code #ROOM} (a room's name or id; see {@link RoomNames}). Parsing
 * never throws: a line that cannot be understood becomes {@link Invalid}, whose message is what
 * the user sees.
 */
public sealed interface ChatInput {
  /** The command names, for {@code /help} and completion, in the order help lists them. */
  List<String> COMMANDS = List.of(
      "/users", "/rooms", "/msg", "/to", "/history", "/search", "/edit", "/delete", "/notify", "/create", "/join", "/leave",
      "/send", "/get", "/logout", "/quit", "/help");

  /** Commands whose first argument is a user name or a room, for completion. */
  List<String> TAKE_A_USER = List.of("/msg", "/to", "/send");

  /** Commands whose first argument is a room, for completion. */
  List<String> TAKE_A_ROOM = List.of("/msg", "/to", "/send", "/join", "/leave");

  /** What {@code /help} prints, one line per command. */
  List<String> HELP = List.of(
      "/users                 everyone, online first",
      "/rooms                 your rooms with unread counts, and the open rooms you can join",
      "/msg NAME|#ROOM TEXT   send TEXT to NAME or to a room",
      "/to NAME|#ROOM         send plain lines there from now on (/to alone: to nobody)",
      "/history [N]           the last N (default 20) messages with the /to user or room, each with its #SEQ",
      "/search [-a] QUERY     messages matching QUERY in the /to conversation (-a, or no /to: in all of yours)",
      "/edit [#SEQ] TEXT      replace the text of your message #SEQ (default: your last one here)",
      "/delete [#SEQ]         delete your message #SEQ (default: your last one here), after a y/n question",
      "/notify [all|mentions|none]  when this conversation rings the bell: every message, @mentions, never",
      "/create NAME [--open] [USER...]  create a room with USERs in it; --open: anyone may join",
      "/join #ROOM            join an open room and talk there",
      "/leave [#ROOM]         leave a room (default: the /to room)",
      "/send NAME|#ROOM PATH  send a file; run again after an interruption to resume",
      "/get ID [PATH]         download a file (default: its name, in the current directory)",
      "/logout                forget the saved login and quit",
      "/quit                  leave (Ctrl-D too)",
      "/help                  this list",
      "#ROOM is a room's name (the one room of yours with that name) or its id; Tab completes both.",
      "The bell rings for a direct message or an @mention of you; /notify changes that per conversation.");

  /**
   * What separates a command's words: whitespace, but not a space after a backslash, which Tab
   * completion puts in a room's name with spaces ({@code /to #reading\ group}).
   */
  String SEPARATOR = "(?<!\\\\)\\s+";

  /** The default of {@code /history}. */
  int DEFAULT_HISTORY = 20;

  /** A blank line: nothing to do. */
  record Blank() implements ChatInput {}

  /** Plain text, for the current target. */
  record Say(String text) implements ChatInput {}

  record Users() implements ChatInput {}

  record Rooms() implements ChatInput {}

  /** A room to create with the user as owner and {@code users} as members. */
  record Create(String name, boolean open, List<String> users) implements ChatInput {}

  record Join(String room) implements ChatInput {}

  /** {@code room} is null for the current target's room. */
  record Leave(String room) implements ChatInput {}

  record Msg(String to, String text) implements ChatInput {}

  /** {@code to} is null to clear the target. */
  record To(String to) implements ChatInput {}

  record History(int limit) implements ChatInput {}

  /** {@code everywhere}: in all of the user's conversations, not only the {@code /to} one. */
  record Search(boolean everywhere, String query) implements ChatInput {}

  /** {@code seq} is null for the user's last message in the {@code /to} conversation. */
  record Edit(Long seq, String text) implements ChatInput {}

  /** {@code seq} is null for the user's last message in the {@code /to} conversation. */
  record Delete(Long seq) implements ChatInput {}

  /** {@code level} is null to show the current one. */
  record Notify(NotifyLevel level) implements ChatInput {}

  record Send(String to, String path) implements ChatInput {}

  /** {@code path} is null for the file's own name in the working directory. */
  record Get(String id, String path) implements ChatInput {}

  record Logout() implements ChatInput {}

  record Quit() implements ChatInput {}

  record Help() implements ChatInput {}

  /** A line that is not a valid command; {@code message} says what is wrong and how to fix it. */
  record Invalid(String message) implements ChatInput {}

  static ChatInput parse(String line) {
    String trimmed = line.strip();
    if (trimmed.isEmpty()) {
      return new Blank();
    }
    if (!trimmed.startsWith("/")) {
      return new Say(trimmed);
    }
    // "//text" sends "/text": the escape for a line that must start with a slash.
    if (trimmed.startsWith("//")) {
      return new Say(trimmed.substring(1));
    }
    String[] parts = trimmed.split(SEPARATOR, 3);
    String name = parts[0].toLowerCase(Locale.ROOT);
    int args = parts.length - 1;
    return switch (name) {
      case "/users" -> args == 0 ? new Users() : usage("/users");
      case "/rooms" -> args == 0 ? new Rooms() : usage("/rooms");
      case "/create" -> create(trimmed);
      case "/join" -> args == 0 ? usage("/join #ROOM") : new Join(rest(trimmed));
      case "/leave" -> new Leave(args == 0 ? null : rest(trimmed));
      case "/msg" -> args == 2 ? new Msg(word(parts[1]), parts[2]) : usage("/msg NAME|#ROOM TEXT");
      case "/to" -> args == 0 ? new To(null) : args == 1 || RoomNames.isRoom(parts[1]) ? new To(rest(trimmed)) : usage("/to NAME|#ROOM");
      case "/history" -> history(parts);
      case "/search" -> search(trimmed);
      case "/edit" -> edit(trimmed);
      case "/delete" -> args == 0 ? new Delete(null) : args == 1 && isSeq(parts[1]) ? new Delete(seq(parts[1])) : usage("/delete [#SEQ]");
      case "/notify" -> notifyLevel(parts);
      case "/send" -> args == 2 ? new Send(word(parts[1]), parts[2]) : usage("/send NAME|#ROOM PATH");
      case "/get" -> args == 1 ? new Get(parts[1], null) : args == 2 ? new Get(parts[1], parts[2]) : usage("/get ID [PATH]");
      case "/logout" -> args == 0 ? new Logout() : usage("/logout");
      case "/quit", "/exit" -> new Quit();
      case "/help" -> new Help();
      default -> new Invalid("unknown command " + parts[0] + "; /help lists them (start a line with // to send a slash)");
    };
  }

  private static ChatInput history(String[] parts) {
    if (parts.length == 1) {
      return new History(DEFAULT_HISTORY);
    }
    if (parts.length == 2 && parts[1].matches("[0-9]{1,4}") && Integer.parseInt(parts[1]) > 0) {
      return new History(Integer.parseInt(parts[1]));
    }
    return new Invalid("usage: /history [N], N from 1 to 9999");
  }

  private static ChatInput search(String trimmed) {
    String[] words = trimmed.split("\\s+", 2);
    String query = words.length == 2 ? words[1] : "";
    boolean everywhere = query.equals("-a") || query.startsWith("-a ");
    if (everywhere) {
      query = query.substring(2).strip();
    }
    return query.isEmpty() ? usage("/search [-a] QUERY") : new Search(everywhere, query);
  }

  /** {@code /edit #41 text} or {@code /edit 41 text} names the message; {@code /edit text} means the last one. */
  private static ChatInput edit(String trimmed) {
    String[] words = trimmed.split("\\s+", 3);
    if (words.length == 3 && isSeq(words[1])) {
      return new Edit(seq(words[1]), words[2]);
    }
    return words.length == 1 ? usage("/edit [#SEQ] TEXT") : new Edit(null, trimmed.split("\\s+", 2)[1]);
  }

  private static ChatInput notifyLevel(String[] parts) {
    if (parts.length == 1) {
      return new Notify(null);
    }
    try {
      return parts.length == 2 ? new Notify(NotifyLevel.fromWireName(parts[1].toLowerCase(Locale.ROOT))) : usage("/notify [all|mentions|none]");
    } catch (IllegalArgumentException e) {
      return usage("/notify [all|mentions|none]");
    }
  }

  /** A message's seq as /history shows it ({@code #41}), or bare. */
  private static boolean isSeq(String word) {
    return word.matches("#?[0-9]{1,18}");
  }

  private static long seq(String word) {
    return Long.parseLong(word.startsWith("#") ? word.substring(1) : word);
  }

  /** Everything after the command word: a room's name may have spaces in it. */
  private static String rest(String trimmed) {
    return word(trimmed.split(SEPARATOR, 2)[1]);
  }

  /** A name or room as typed: {@code \ } is a space in it. */
  private static String word(String typed) {
    return typed.replace("\\ ", " ");
  }

  private static ChatInput create(String trimmed) {
    List<String> words = Stream.of(trimmed.split(SEPARATOR)).map(ChatInput::word).toList();
    boolean open = words.contains("--open");
    List<String> rest = words.subList(1, words.size()).stream().filter(word -> !word.equals("--open")).toList();
    if (rest.isEmpty() || rest.stream().anyMatch(word -> word.startsWith("-"))) {
      return usage("/create NAME [--open] [USER...]");
    }
    return new Create(RoomNames.isRoom(rest.getFirst()) ? rest.getFirst().substring(1) : rest.getFirst(), open,
        rest.subList(1, rest.size()));
  }

  private static Invalid usage(String usage) {
    return new Invalid("usage: " + usage);
  }
}
