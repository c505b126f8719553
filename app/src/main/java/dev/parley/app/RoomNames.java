package dev.parley.app;

import java.util.List;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

/**
 * How a person names a room on the command line or at the chat prompt: by its id, or by its name
 * with or without a leading {@code #} ({@code #lab}, {@code lab}). Usernames cannot hold {@code
 * #}, so {@code #lab} never means a user. Stateless.
 *
 * <p>Resolution, among the rooms the caller can name (their own, or the directory for {@code
 * join}): an exact id wins; else the one room with exactly that name; else the one room with that
 * name ignoring case. Two or more rooms with the name is an error that lists their ids. Anything
 * else is taken as an id as given, and the server answers for it ({@code no room 'x'}).
 */
final class RoomNames {
  /** A room as listed: its id and its name. */
  record Known(String id, String name) {}

  private RoomNames() {}

  /** Whether a word at a {@code NAME|#ROOM} place names a room. */
  static boolean isRoom(String word) {
    return word.startsWith("#");
  }

  /**
   * The room {@code given} names among {@code rooms}; one that is not among them has the id as
   * given and a null name.
   *
   * @throws CommandFailedException when several rooms have that name
   */
  static Known resolve(String given, List<Known> rooms) {
    String wanted = isRoom(given) ? given.substring(1) : given;
    if (wanted.isBlank()) {
      throw new CommandFailedException("name a room: its id, or #NAME");
    }
    for (Known room : rooms) {
      if (room.id().equals(wanted)) {
        return room;
      }
    }
    for (BiPredicate<String, String> same : List.<BiPredicate<String, String>>of(String::equals, String::equalsIgnoreCase)) {
      List<Known> named = rooms.stream().filter(room -> same.test(room.name(), wanted)).toList();
      if (named.size() == 1) {
        return named.getFirst();
      }
      if (named.size() > 1) {
        throw new CommandFailedException(named.size() + " rooms are named " + wanted + " (ids "
            + named.stream().map(Known::id).collect(Collectors.joining(", ")) + "); name one by its id");
      }
    }
    return new Known(wanted, null);
  }

  /** How a room is shown: {@code #name}. */
  static String label(String name) {
    return "#" + name;
  }
}
