package dev.parley.app;

import dev.parley.protocol.ServerFrame;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    customSynopsis = "Usage: parley search [--server=URL] [--room=ROOM | --with=NAME] [--limit=N] [--json] QUERY...",
    description = {
      "Search the messages you can see (your direct conversations, and your rooms while you were in",
      "them), newest first: each hit with its conversation, seq, sender, time and text; a file by its",
      "name. Any script works, Chinese without spaces included; a query of 3 or more characters",
      "matches anywhere in a word, ignoring case.",
      "ROOM is a room's id or #NAME, the one room of yours with that name (see 'parley rooms')."
    })
final class SearchCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private ServerOption server;

  @Parameters(arity = "1..*", paramLabel = "QUERY", description = "What to look for; words are joined by spaces.")
  private List<String> words;

  @Option(names = "--room", paramLabel = "ROOM", description = "Only this room.")
  private String room;

  @Option(names = "--with", paramLabel = "NAME", description = "Only the direct conversation with this user.")
  private String with;

  @Option(names = "--limit", paramLabel = "N", description = "At most N hits (default: the server's, 20).")
  private Integer limit;

  @Option(names = "--json", description = "Print a JSON array of the server's message objects: {seq, from, to|room, text|file, ts, "
      + "edited?, mentions?}; ts in epoch milliseconds.")
  private boolean json;

  @Override
  public Integer call() {
    if (limit != null && limit < 1) {
      throw new ParameterException(spec.commandLine(), "--limit must be at least 1");
    }
    if (room != null && with != null) {
      throw new ParameterException(spec.commandLine(), "give --room or --with, not both");
    }
    String query = String.join(" ", words);
    List<ServerFrame.Message> hits;
    Map<String, String> roomNames;
    String me;
    try (SignedIn signedIn = server.signedIn(main.environment())) {
      me = signedIn.login().username();
      String roomId = room == null ? null : signedIn.room(room).id();
      hits = newest(signedIn, query, roomId);
      roomNames = json || hits.stream().noneMatch(hit -> hit.room() != null)
          ? Map.of()
          : signedIn.client().rooms(signedIn.token()).stream()
              .collect(Collectors.toMap(ServerFrame.RoomSummary::room, ServerFrame.RoomSummary::name));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JsonOutput.of(hits));
      return 0;
    }
    if (hits.isEmpty()) {
      out.println("no messages match " + TerminalText.visible(query));
    }
    ZoneId zone = ZoneId.systemDefault();
    for (ServerFrame.Message hit : hits) {
      String conversation = hit.room() != null
          ? RoomNames.label(roomNames.getOrDefault(hit.room(), hit.room()))
          : "with " + (hit.from().equals(me) ? hit.to() : hit.from());
      String head = TIME.format(Instant.ofEpochMilli(hit.ts()).atZone(zone)) + "  " + TerminalText.visible(conversation)
          + "  #" + hit.seq() + "  " + TerminalText.visible(hit.from()) + ": ";
      out.println(head + TerminalText.visible(HistoryCommand.body(hit), " ".repeat(head.length())));
    }
    return 0;
  }

  /** The newest {@code limit} hits, newest first, page by page: the server caps a page at 100. */
  private List<ServerFrame.Message> newest(SignedIn signedIn, String query, String roomId) {
    if (limit == null) {
      return signedIn.client().search(signedIn.token(), query, roomId, with, null, null);
    }
    List<ServerFrame.Message> collected = new ArrayList<>();
    Long before = null;
    while (collected.size() < limit) {
      List<ServerFrame.Message> page = signedIn.client().search(signedIn.token(), query, roomId, with, before, limit - collected.size());
      if (page.isEmpty()) {
        break;
      }
      collected.addAll(page);
      before = page.getLast().seq();
    }
    return collected;
  }
}
