package dev.parley.server.store;

/**
 * What an edit or delete entry does to the message it points at.
 *
 * @param targetSeq the message changed
 * @param text the new text of an edit; null for a delete
 */
public record Revision(long targetSeq, String text) {
  public static Revision delete(long targetSeq) {
    return new Revision(targetSeq, null);
  }

  public boolean isDelete() {
    return text == null;
  }
}
