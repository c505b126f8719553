package dev.parley.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * An IRC server (RFC 2812), the peer that {@code bench messages} and {@code bench rooms} compare
 * Parley with: each connection registers a nick of its own and a message is {@code PRIVMSG <nick>
 * :<text>}, or {@code PRIVMSG #bench :<text>} to the channel the members of a room run join. IRC has
 * no acknowledgement, so a message counts as in flight until its receiver has it, as for Parley.
 */
public record IrcTarget(InetSocketAddress server) implements MessageTarget {
  /**
   * The longest text: an IRC line is at most 512 bytes with its CR LF, and the relayed line also
   * carries the sender's {@code :nick!user@host} prefix and {@code PRIVMSG <nick> :}.
   */
  static final int MAX_TEXT_BYTES = 400;

  /** The channel of {@code bench rooms}: the run's members are its only members. */
  static final String CHANNEL = "#bench";

  private static final int NICK_TAG_CHARS = 4;
  private static final int NICK_TAG_RANGE = pow36(NICK_TAG_CHARS);

  @Override
  public String name() {
    return "irc://" + server.getHostString() + ":" + server.getPort();
  }

  @Override
  public void checkWorkload(int connections, int sizeBytes) {
    if (sizeBytes > MAX_TEXT_BYTES) {
      throw new IllegalArgumentException("IRC lines carry at most " + MAX_TEXT_BYTES + "-byte texts here, not " + sizeBytes);
    }
  }

  @Override
  public MessageConnection open(int index, String runTag) {
    String nick = nick(index, runTag);
    BenchConnection lines = BenchConnection.connect(server, null);
    try {
      register(lines, nick);
      return new Connection(lines, nick);
    } catch (IOException e) {
      lines.close();
      throw new UncheckedIOException("cannot register " + nick + " at " + server, e);
    } catch (RuntimeException e) {
      lines.close();
      throw e;
    }
  }

  /**
   * {@code b}, four base-36 characters from the run's tag, then the index in base 36: unique in a
   * run, and new in each run so that a nick a previous run's connection still holds while it
   * closes does not collide. Under 10 characters for up to 36^4 connections, so it fits even
   * RFC 2812's NICKLEN of 9 (ngircd's default).
   */
  static String nick(int index, String runTag) {
    String tag = Integer.toString(Math.floorMod(runTag.hashCode(), NICK_TAG_RANGE) + NICK_TAG_RANGE, 36).substring(1);
    return "b" + tag + Integer.toString(index, 36);
  }

  /**
   * Registers and reads the welcome burst up to the end of the MOTD (376) or its absence (422),
   * so that none of it reaches the run's reader. Numerics 400–599 before that are refusals, e.g.
   * 432 for a nick longer than the server's NICKLEN or 433 for one in use.
   */
  private static void register(BenchConnection lines, String nick) throws IOException {
    lines.write("NICK " + nick + "\r\nUSER " + nick + " 0 * :parley bench\r\n");
    lines.flush();
    boolean welcomed = false;
    String line;
    while ((line = nextReply(lines)) != null) {
      int numeric = IrcLines.numeric(line);
      if (numeric == 1) {
        welcomed = true;
      } else if (numeric >= 400 && numeric < 600 && !(welcomed && numeric == 422)) {
        throw new IllegalStateException("registration of " + nick + " refused: " + line);
      } else if (welcomed && (numeric == 376 || numeric == 422)) {
        return;
      } else if ("ERROR".equals(IrcLines.command(line))) {
        throw new IllegalStateException("registration of " + nick + " refused: " + line);
      }
    }
    throw new IllegalStateException("the server closed the connection while registering " + nick);
  }

  /** Each member joins {@link #CHANNEL}; ngircd relays a {@code PRIVMSG} to it to every other member. */
  @Override
  public String gather(List<MessageConnection> members, String runTag) {
    for (MessageConnection member : members) {
      Connection connection = (Connection) member;
      try {
        join(connection.lines(), connection.address());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot join " + CHANNEL + " as " + connection.address(), e);
      }
    }
    return CHANNEL;
  }

  /**
   * Joins {@link #CHANNEL} and reads up to the end of its names list (366), so that the channel's
   * topic and names reach no run's reader. Numerics 400–599 are refusals.
   */
  private static void join(BenchConnection lines, String nick) throws IOException {
    lines.write("JOIN " + CHANNEL + "\r\n");
    lines.flush();
    String line;
    while ((line = nextReply(lines)) != null) {
      int numeric = IrcLines.numeric(line);
      if (numeric == 366) {
        return;
      } else if ((numeric >= 400 && numeric < 600) || "ERROR".equals(IrcLines.command(line))) {
        throw new IllegalStateException(nick + " cannot join " + CHANNEL + ": " + line);
      }
    }
    throw new IllegalStateException("the server closed the connection while " + nick + " joined " + CHANNEL);
  }

  /** During a handshake: the next line that is not a {@code PING}, answering those; null at the end. */
  private static String nextReply(BenchConnection lines) throws IOException {
    String line;
    while ((line = lines.readLine()) != null) {
      String pong = IrcLines.pong(line);
      if (pong == null) {
        return line;
      }
      lines.write(pong + "\r\n");
      lines.flush();
    }
    return null;
  }

  private static int pow36(int exponent) {
    int value = 1;
    for (int i = 0; i < exponent; i++) {
      value *= 36;
    }
    return value;
  }

  /** A registered client. */
  private record Connection(BenchConnection lines, String address) implements MessageConnection {
    @Override
    public void write(String to, long seq, String text) {
      lines.write("PRIVMSG " + to + " :" + text + "\r\n");
    }

    @Override
    public void writeToGroup(String channel, long seq, String text) {
      write(channel, seq, text);
    }

    @Override
    public void start(LineLoop loop, Listener listener) {
      lines.attach(loop, line -> handle(line, listener), listener::onClosed);
    }

    /** PING is answered; errors and refusals (numerics 400–599, ERROR) are unexpected; the rest is chatter. */
    private void handle(String line, Listener listener) {
      int text = IrcLines.privmsgText(line);
      if (text >= 0) {
        listener.onMessage(line, text);
        return;
      }
      String pong = IrcLines.pong(line);
      if (pong != null) {
        lines.write(pong + "\r\n");
        return;
      }
      int numeric = IrcLines.numeric(line);
      if ((numeric >= 400 && numeric < 600) || "ERROR".equals(IrcLines.command(line))) {
        listener.onUnexpected(line);
      }
    }

    @Override
    public void close() {
      lines.close();
    }
  }
}
