package dev.parley.server.store.sql;

import dev.parley.server.store.AppendResult;
import dev.parley.server.store.MessageStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client ids of the log's newest {@link MessageStore#DUPLICATE_WINDOW} messages and entries,
 * by sender, with what each was stored as: how a retry is told from a new message without a
 * unique index on (sender, client id), which cost the commit more disk pages than the message row
 * itself. Rebuilt from the tail of the log when the store opens, so a retry after a crash or a
 * restart is recognised as well as one before it.
 *
 * <p>Only what committed is added ({@link #addAll} after the commit). Thread-safe: one writer
 * adds, any thread looks up.
 */
final class RecentClientIds {
  private final int capacity;
  private final Map<Key, AppendResult> ids;

  record Key(long senderId, String clientId) {
    /**
     * Spreads senders over the whole int range: the record's own hash ({@code 31 * sender + id})
     * makes senders with counting client ids collide exactly, so the window's buckets turned into
     * trees of equal hashes, searched one by one, which took a fifth of the writer thread.
     */
    @Override
    public int hashCode() {
      return (int) ((senderId * 0x9E3779B97F4A7C15L) >>> 32) ^ clientId.hashCode() * 0x85EBCA6B;
    }
  }

  RecentClientIds(int capacity) {
    this.capacity = capacity;
    this.ids = new LinkedHashMap<>(capacity * 4 / 3 + 1) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, AppendResult> eldest) {
        return size() > RecentClientIds.this.capacity;
      }
    };
  }

  /** The window over the newest {@code capacity} rows of the log, oldest first, as they are stored. */
  static RecentClientIds load(SqlDatabase database, int capacity) {
    RecentClientIds recent = new RecentClientIds(capacity);
    Map<Key, AppendResult> newestFirst = new LinkedHashMap<>();
    database.read(connection -> {
      readTail(connection, capacity, newestFirst);
      return null;
    });
    Key[] keys = newestFirst.keySet().toArray(Key[]::new);
    synchronized (recent) {
      for (int i = keys.length - 1; i >= 0; i--) {
        recent.ids.put(keys[i], newestFirst.get(keys[i]));
      }
    }
    return recent;
  }

  /** A walk back along the primary key: the log's newest rows, whatever else is indexed. */
  private static void readTail(Connection connection, int capacity, Map<Key, AppendResult> into) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT seq, sender_id, client_id, created_at FROM messages ORDER BY seq DESC LIMIT ?")) {
      query.setInt(1, capacity);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          // Newest first: a key seen twice (stored twice before this window existed) keeps its oldest row.
          into.put(new Key(rows.getLong(2), rows.getString(3)), new AppendResult(rows.getLong(1), rows.getLong(4), true));
        }
      }
    }
  }

  /** What the sender's message with this client id was stored as, if it is in the window. */
  synchronized AppendResult find(long senderId, String clientId) {
    return ids.get(new Key(senderId, clientId));
  }

  /** Adds what one transaction stored (each as a duplicate would be answered), once it committed, in the order it was stored. */
  synchronized void addAll(Map<Key, AppendResult> committed) {
    committed.forEach(ids::putIfAbsent);
  }
}
