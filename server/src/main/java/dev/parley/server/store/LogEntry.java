package dev.parley.server.store;

import java.util.List;

/**
 * An entry of the log read back with whom it went to: the sender's id, and the members of its
 * conversation while the entry was appended (a member who left with it gets it, one who joined
 * after does not), as a node that missed it on the bus delivers it.
 */
public record LogEntry(StoredMessage message, long senderId, List<Long> memberIds) {
  public LogEntry {
    memberIds = List.copyOf(memberIds);
  }
}
