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
    description = "Print the conversation with a user, oldest first, in local time.")
final class HistoryCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private ServerOption server;

  @Parameters(paramLabel = "NAME", description = "The other user.")
  private String with;

  @Option(names = "--limit", paramLabel = "N", description = "The newest N messages (default: the server's page size).")
  private Integer limit;

  @Option(names = "--json", description = "Print a JSON array of {seq, from, to, text, file, ts}: text for a message, file "
          + "{id, name, size, sha256, type} for a file; ts in epoch milliseconds.")
  private boolean json;

  @Override
  public Integer call() {
    if (limit != null && limit < 1) {
      throw new ParameterException(spec.commandLine(), "--limit must be at least 1");
    }
    List<ServerFrame.Message> messages;
    try (SignedIn signedIn = server.signedIn(main.environment())) {
      messages = newest(signedIn);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JsonOutput.of(messages));
    } else {
      ZoneId zone = ZoneId.systemDefault();
      messages.forEach(m -> {
        String head = TIME.format(Instant.ofEpochMilli(m.ts()).atZone(zone)) + "  " + TerminalText.visible(m.from()) + ": ";
        out.println(head + TerminalText.visible(body(m), " ".repeat(head.length())));
      });
    }
    return 0;
  }

  /** The text, or for a file what {@code parley download} needs: {@code [file NAME, SIZE bytes, id ID]}. */
  static String body(ServerFrame.Message message) {
    ServerFrame.FileRef file = message.file();
    if (file == null) {
      return message.text();
    }
    return "[file " + file.name() + ", " + file.size() + " bytes, id " + file.id() + "]";
  }

  /**
   * The newest {@code limit} messages, oldest first. The server caps a page (100 by default), so a
   * larger limit is fetched page by page, backwards from the newest.
   */
  private List<ServerFrame.Message> newest(SignedIn signedIn) {
    if (limit == null) {
      return signedIn.client().messages(signedIn.token(), with, null, null);
    }
    List<ServerFrame.Message> collected = new ArrayList<>();
    Long before = null;
    while (collected.size() < limit) {
      List<ServerFrame.Message> page = signedIn.client().messages(signedIn.token(), with, before, limit - collected.size());
      if (page.isEmpty()) {
        break;
      }
      collected.addAll(0, page);
      before = page.getFirst().seq();
    }
    return collected;
  }
}
