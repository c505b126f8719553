package dev.parley.app;

import java.util.List;
import java.util.Locale;

/**
 * One line typed at the chat prompt, parsed. A line starting with {@code /} is a command; any
 * other non-blank line is text for the current {@code /to} target. Parsing never throws: a line
 * that cannot be understood becomes {@link Invalid}, whose message is what the user sees.
 */
public sealed interface ChatInput {
  /** The command names, for {@code /help} and completion, in the order help lists them. */
  List<String> COMMANDS = List.of("/users", "/msg", "/to", "/history", "/send", "/get", "/logout", "/quit", "/help");

  /** Commands whose first argument is a user name, for completion. */
  List<String> TAKE_A_USER = List.of("/msg", "/to", "/send");

  /** What {@code /help} prints, one line per command. */
  List<String> HELP = List.of(
      "/users              everyone, online first",
      "/msg NAME TEXT      send TEXT to NAME",
      "/to NAME            send plain lines to NAME from now on (/to alone: to nobody)",
      "/history [N]        the last N (default 20) messages with the /to user",
      "/send NAME PATH     send a file; run again after an interruption to resume",
      "/get ID [PATH]      download a file (default: its name, in the current directory)",
      "/logout             forget the saved login and quit",
      "/quit               leave (Ctrl-D too)",
      "/help               this list");

  /** The default of {@code /history}. */
  int DEFAULT_HISTORY = 20;

  /** A blank line: nothing to do. */
  record Blank() implements ChatInput {}

  /** Plain text, for the current target. */
  record Say(String text) implements ChatInput {}

  record Users() implements ChatInput {}

  record Msg(String to, String text) implements ChatInput {}

  /** {@code to} is null to clear the target. */
  record To(String to) implements ChatInput {}

  record History(int limit) implements ChatInput {}

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
    String[] parts = trimmed.split("\\s+", 3);
    String name = parts[0].toLowerCase(Locale.ROOT);
    int args = parts.length - 1;
    return switch (name) {
      case "/users" -> args == 0 ? new Users() : usage("/users");
      case "/msg" -> args == 2 ? new Msg(parts[1], parts[2]) : usage("/msg NAME TEXT");
      case "/to" -> args == 0 ? new To(null) : args == 1 ? new To(parts[1]) : usage("/to NAME");
      case "/history" -> history(parts);
      case "/send" -> args == 2 ? new Send(parts[1], parts[2]) : usage("/send NAME PATH");
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

  private static Invalid usage(String usage) {
    return new Invalid("usage: " + usage);
  }
}
