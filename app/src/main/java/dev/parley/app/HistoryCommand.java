package dev.parley.app;

import dev.parley.protocol.ServerFrame;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    customSynopsis = {
      "Usage: parley history [--server=URL] [--limit=N] [--json] NAME",
      "       parley history [--server=URL] [--limit=N] [--json] '#ROOM'",
      "       parley history [--server=URL] [--limit=N] [--json] --room=ROOM"
    },
    description = {
      "Print the conversation with a user or in a room, oldest first, in local time. A room's history",
      "shows who joined, left, was added or removed as lines like '-- bob joined'.",
      "ROOM is a room's id or #NAME, the one room of yours with that name (see 'parley rooms')."
    })
final class HistoryCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private ServerOption server;

  @Parameters(arity = "0..1", paramLabel = "NAME|#ROOM", description = "The other user, or a room.")
  private String with;

  @Option(names = "--room", paramLabel = "ROOM", description = "A room's history instead of a user's.")
  private String room;

  @Option(names = "--limit", paramLabel = "N", description = "The newest N messages (default: the server's page size).")
  private Integer limit;

  @Option(names = "--json", description = "Print a JSON array of {seq, from, to|room, text|file|event, ts}: text for a message, "
          + "file {id, name, size, sha256, type} for a file, event {kind, user?, name?} for a room's membership entry; "
          + "ts in epoch milliseconds.")
  private boolean json;

  @Override
  public Integer call() {
    if (limit != null && limit < 1) {
      throw new ParameterException(spec.commandLine(), "--limit must be at least 1");
    }
    Recipient recipient = Recipient.of(room, with);
    if (recipient == null) {
      throw new ParameterException(spec.commandLine(), "name a user, or a room with '#ROOM' or --room ROOM");
    }
    List<ServerFrame.Message> messages;
    try (SignedIn signedIn = server.signedIn(main.environment())) {
      messages = newest(page(signedIn, recipient));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JsonOutput.of(messages));
    } else {
      ZoneId zone = ZoneId.systemDefault();
      messages.forEach(m -> {
        String time = TIME.format(Instant.ofEpochMilli(m.ts()).atZone(zone)) + "  ";
        if (m.event() != null) {
          out.println(time + "-- " + TerminalText.visible(MembershipText.of(m)));
          return;
        }
        String head = time + TerminalText.visible(m.from()) + ": ";
        out.println(head + TerminalText.visible(body(m), " ".repeat(head.length())));
      });
    }
    return 0;
  }

  /**
   * The text ({@code TEXT (edited)} once edited), {@code message deleted}, or for a file what
   * {@code parley download} needs: {@code [file NAME, SIZE bytes, id ID]}.
   */
  static String body(ServerFrame.Message message) {
    if (Boolean.TRUE.equals(message.deleted())) {
      return "message deleted";
    }
    ServerFrame.FileRef file = message.file();
    if (file == null) {
      return message.text() + (Boolean.TRUE.equals(message.edited()) ? " (edited)" : "");
    }
    return "[file " + file.name() + ", " + file.size() + " bytes, id " + file.id() + "]";
  }

  /**
   * The newest {@code limit} messages, oldest first. The server caps a page (100 by default), so a
   * larger limit is fetched page by page, backwards from the newest.
   */
  private List<ServerFrame.Message> newest(Page pages) {
    if (limit == null) {
      return pages.fetch(null, null);
    }
    List<ServerFrame.Message> collected = new ArrayList<>();
    Long before = null;
    while (collected.size() < limit) {
      List<ServerFrame.Message> page = pages.fetch(before, limit - collected.size());
      if (page.isEmpty()) {
        break;
      }
      collected.addAll(0, page);
      before = page.getFirst().seq();
    }
    return collected;
  }

  /** One page of a conversation: the newest {@code limit} messages before {@code before}. */
  @FunctionalInterface
  private interface Page {
    List<ServerFrame.Message> fetch(Long before, Integer limit);
  }

  private static Page page(SignedIn signedIn, Recipient recipient) {
    if (recipient.isRoom()) {
      String id = recipient.roomId(signedIn);
      return (before, limit) -> signedIn.client().roomMessages(signedIn.token(), id, before, limit);
    }
    return (before, limit) -> signedIn.client().messages(signedIn.token(), recipient.user(), before, limit);
  }
}
