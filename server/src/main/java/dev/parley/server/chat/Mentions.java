package dev.parley.server.chat;

import dev.parley.server.account.Usernames;
import dev.parley.server.store.Mention;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds {@code @name} in a room message: {@code name} is a current member's username in any
 * casing, preceded by the start of the text or a character that cannot be part of a name (so an
 * address like {@code a@b.org} is no mention), and ended by whitespace, punctuation or the end.
 * Since {@code . - _} may sit inside a name, a run that is no member's name is tried again
 * without its trailing ones ({@code @bob.} mentions bob).
 */
final class Mentions {
  private Mentions() {}

  /** The members mentioned, each once, in the order of their first mention. */
  static List<Mention> in(String text, Collection<RoomState.Member> members) {
    if (text == null || text.indexOf('@') < 0) {
      return List.of();
    }
    Map<String, RoomState.Member> byKey = new HashMap<>();
    members.forEach(member -> byKey.put(Usernames.lookupKey(member.username()), member));
    Map<Long, Mention> found = new LinkedHashMap<>();
    int at = text.indexOf('@');
    while (at >= 0) {
      if (at == 0 || !isNameChar(text.codePointBefore(at))) {
        int end = at + 1;
        while (end < text.length() && isNameChar(text.codePointAt(end))) {
          end += Character.charCount(text.codePointAt(end));
        }
        RoomState.Member member = longestMember(text.substring(at + 1, end), byKey);
        if (member != null) {
          found.putIfAbsent(member.userId(), new Mention(member.userId(), member.username()));
        }
      }
      at = text.indexOf('@', at + 1);
    }
    return new ArrayList<>(found.values());
  }

  private static RoomState.Member longestMember(String run, Map<String, RoomState.Member> byKey) {
    String candidate = run;
    while (!candidate.isEmpty()) {
      RoomState.Member member = byKey.get(Usernames.lookupKey(candidate));
      if (member != null) {
        return member;
      }
      char last = candidate.charAt(candidate.length() - 1);
      if (last != '.' && last != '-' && last != '_') {
        return null;
      }
      candidate = candidate.substring(0, candidate.length() - 1);
    }
    return null;
  }

  /** What a username may hold (see {@link Usernames#normalize}). */
  private static boolean isNameChar(int codePoint) {
    return Character.isLetterOrDigit(codePoint)
        || Character.getType(codePoint) == Character.NON_SPACING_MARK
        || Character.getType(codePoint) == Character.COMBINING_SPACING_MARK
        || Character.getType(codePoint) == Character.ENCLOSING_MARK
        || codePoint == '_' || codePoint == '-' || codePoint == '.';
  }
}
