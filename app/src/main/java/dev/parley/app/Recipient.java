package dev.parley.app;

/**
 * Whom a one-shot command ({@code send}, {@code history}, {@code upload}) addresses: a user by
 * name, or a room given with {@code --room ROOM} or as a {@code #ROOM} word where a user's name
 * would go. Exactly one of the two is set.
 */
record Recipient(String user, String room) {
  /**
   * From the {@code --room} option (null when absent) and the {@code NAME|#ROOM} word (null when
   * absent); null when neither names anyone.
   *
   * @throws CommandFailedException when both do
   */
  static Recipient of(String roomOption, String word) {
    if (roomOption != null && word != null) {
      throw new CommandFailedException("give a NAME or --room ROOM, not both");
    }
    if (roomOption != null) {
      return new Recipient(null, roomOption);
    }
    if (word == null) {
      return null;
    }
    return RoomNames.isRoom(word) ? new Recipient(null, word) : new Recipient(word, null);
  }

  boolean isRoom() {
    return room != null;
  }

  /** The room's id among the signed-in user's rooms (see {@link RoomNames}); only for a room. */
  String roomId(SignedIn signedIn) {
    return signedIn.room(room).id();
  }
}
