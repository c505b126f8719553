package dev.parley.app;

import dev.parley.protocol.ServerFrame;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Turns what happens in a chat into the lines printed above the prompt, each starting with the
 * local time ({@code HH:mm}). Without colour every line is plain text, so a terminal without
 * colours, or a user who set {@code NO_COLOR}, gets no escape sequences at all. Stateless and
 * thread-safe.
 */
final class ChatRenderer {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
  /** Under the text after {@code HH:mm }: where a message's second line starts. */
  private static final String CONTINUATION = " ".repeat("HH:mm ".length());
  private static final AttributedStyle PLAIN = AttributedStyle.DEFAULT;
  private static final AttributedStyle TIME_STYLE = PLAIN.foreground(AttributedStyle.BRIGHT | AttributedStyle.BLACK);
  private static final AttributedStyle THEM = PLAIN.bold().foreground(AttributedStyle.CYAN);
  private static final AttributedStyle ME = PLAIN.bold().foreground(AttributedStyle.GREEN);
  private static final AttributedStyle NOTICE = PLAIN.foreground(AttributedStyle.YELLOW);
  private static final AttributedStyle MENTION = PLAIN.bold().foreground(AttributedStyle.YELLOW).inverse();
  private static final AttributedStyle ERROR = PLAIN.bold().foreground(AttributedStyle.RED);

  private final boolean colour;
  private final Clock clock;
  private final ZoneId zone;

  ChatRenderer(boolean colour, Clock clock) {
    this.colour = colour;
    this.clock = clock;
    this.zone = clock.getZone();
  }

  /** Whether to colour: never with {@code NO_COLOR} set (https://no-color.org), else when the terminal can. */
  static boolean wantsColour(CliEnvironment environment, int terminalColours) {
    return environment.variables().get("NO_COLOR") == null && terminalColours >= 8;
  }

  /**
   * {@code 14:03 <alice> hello} for a message to {@code me}, {@code 14:03 -> bob: hello} for one of
   * mine (sent from here or from another of my clients), and a file as its name, size and the
   * {@code /get} that fetches it. A direct message only; see {@link #message(ServerFrame.Message,
   * String, String)} for rooms.
   */
  AttributedString message(ServerFrame.Message message, String me) {
    return message(message, me, null);
  }

  /**
   * As {@link #message(ServerFrame.Message, String)}, and a room's message, which starts with the
   * room: {@code 14:03 [#lab] <bob> hi} (mine as {@code <me>} too), a membership entry as {@code
   * 14:03 [#lab] -- bob joined}. An edit shows its new text and {@code (edited)}, live (an edit
   * entry) or in history (an edited message) alike; a delete, or a deleted message, shows {@code
   * message deleted}. A message that mentions {@code me} stands out in colour.
   *
   * @param room the room's label ({@code #lab}) for a room's message; null for a direct one
   */
  AttributedString message(ServerFrame.Message message, String me, String room) {
    return message(message, me, room, false);
  }

  /**
   * As {@link #message(ServerFrame.Message, String, String)}, with the message's seq after the
   * time ({@code 14:03 #41 <bob> hi}), which {@code /edit} and {@code /delete} take: for listings
   * ({@code /history}, {@code /search}).
   */
  AttributedString listed(ServerFrame.Message message, String me, String room) {
    return message(message, me, room, true);
  }

  private AttributedString message(ServerFrame.Message message, String me, String room, boolean withSeq) {
    Line line = start(Instant.ofEpochMilli(message.ts()));
    if (withSeq) {
      line.append("#" + message.seq() + " ", TIME_STYLE);
    }
    boolean mine = message.from().equals(me);
    if (room != null) {
      line.append("[", PLAIN).append(room, PLAIN.bold()).append("] ", PLAIN);
      if (message.event() != null) {
        return line.append("-- " + MembershipText.of(message), NOTICE).toAttributedString();
      }
      line.append("<", PLAIN).append(message.from(), mine ? ME : THEM).append("> ", PLAIN);
    } else if (mine) {
      line.append("-> ", PLAIN).append(message.to(), ME).append(": ", PLAIN);
    } else {
      line.append("<", PLAIN).append(message.from(), THEM).append("> ", PLAIN);
    }
    if (message.deletes() != null || Boolean.TRUE.equals(message.deleted())) {
      return line.append("message deleted", NOTICE).toAttributedString();
    }
    ServerFrame.FileRef file = message.file();
    if (file != null) {
      return line.append("[file " + file.name() + ", " + ProgressLine.size(file.size()) + "] ", NOTICE)
          .append("/get " + file.id(), PLAIN.bold())
          .toAttributedString();
    }
    line.append(message.text(), !mine && mentions(message, me) ? MENTION : PLAIN);
    if (message.edits() != null || Boolean.TRUE.equals(message.edited())) {
      line.append(" (edited)", NOTICE);
    }
    return line.toAttributedString();
  }

  /** Whether a room message mentions {@code me} (the server names usernames as registered). */
  static boolean mentions(ServerFrame.Message message, String me) {
    return message.mentions() != null && message.mentions().stream().anyMatch(me::equalsIgnoreCase);
  }

  /** {@code 14:03 -- bob is online}. */
  AttributedString presence(ServerFrame.Presence presence) {
    return notice(presence.username() + (presence.online() ? " is online" : " went offline"));
  }

  /** A note from the client itself: {@code 14:03 -- reconnected}. */
  AttributedString notice(String text) {
    return start(clock.instant()).append("-- " + text, NOTICE).toAttributedString();
  }

  /** Something that failed: {@code 14:03 !! no such user}. */
  AttributedString error(String text) {
    return start(clock.instant()).append("!! " + text, ERROR).toAttributedString();
  }

  /** Plain output of a command (help, user lists), without time. */
  AttributedString plain(String text) {
    return new AttributedString(TerminalText.visible(text));
  }

  private Line start(Instant at) {
    return new Line(colour).append(TIME.format(at.atZone(zone)) + " ", TIME_STYLE);
  }

  /**
   * A line being built; drops every style when colour is off. All text goes through
   * {@link TerminalText}: names, messages and server errors are others' text.
   */
  private static final class Line {
    private final AttributedStringBuilder builder = new AttributedStringBuilder();
    private final boolean colour;

    Line(boolean colour) {
      this.colour = colour;
    }

    Line append(String text, AttributedStyle style) {
      builder.append(TerminalText.visible(text, CONTINUATION), colour ? style : PLAIN);
      return this;
    }

    AttributedString toAttributedString() {
      return builder.toAttributedString();
    }
  }
}
