package dev.parley.server.store.sql;

import static dev.parley.server.store.sql.MessageRows.rows;

import dev.parley.protocol.EventKind;
import dev.parley.protocol.RoomRole;
import dev.parley.server.store.AppendResult;
import dev.parley.server.store.Delivery;
import dev.parley.server.store.LogEntry;
import dev.parley.server.store.MessageStore;
import dev.parley.server.store.NewMessage;
import dev.parley.server.store.ReadMark;
import dev.parley.server.store.RoomChange;
import dev.parley.server.store.StoredMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The message log: one row per message in its conversation, whatever the number of
 * members; per conversation a counter and its newest message; per member a read cursor; per user
 * a delivery cursor. All cursors move once per batch, never once per delivered message.
 *
 * <p>On PostgreSQL several nodes append to the one log. Each append first takes the log lock
 * ({@link SqlDatabase#lockLog}), held to its commit, so seqs and each conversation's numbers are
 * handed out in commit order cluster-wide; and each conversation's newest number is read from the
 * database under that lock rather than from this node's cache, which another node's append would
 * have made stale.
 *
 * <p>A client id is checked against {@link RecentClientIds}, the log's newest
 * {@link MessageStore#DUPLICATE_WINDOW} client ids, not a unique index: on SQLite that window is
 * the only check (this process is the only writer, so the window sees every append), which keeps
 * an append to the table and its conversation index. PostgreSQL, shared by nodes whose windows
 * each see their own appends only, keeps its unique index on (sender, client id) behind the window.
 */
public final class SqlMessageStore implements MessageStore, AutoCloseable {
  /** Rows per multi-row statement; 8 parameters a row stays far below SQLite's limit of 32,766. */
  private static final int ROWS_PER_STATEMENT = 64;

  static final String DIRECT_HISTORY_SQL =
      "SELECT " + MessageRows.COLUMNS + " FROM messages m" + MessageRows.JOINS
          + "WHERE m.conversation_id = (SELECT id FROM conversations WHERE direct_key = ?) AND m.seq < ? "
          + "AND m.edits IS NULL AND m.deletes IS NULL ORDER BY m.seq DESC LIMIT ?";
  static final String ROOM_HISTORY_SQL =
      "SELECT " + MessageRows.COLUMNS + " FROM messages m" + MessageRows.JOINS
          + "WHERE m.conversation_id = ? AND m.seq < ? AND m.edits IS NULL AND m.deletes IS NULL ORDER BY m.seq DESC LIMIT ?";

  private final SqlDatabase database;
  private final ReplayQuery replay;
  private final SearchQuery search;
  private final Revisions revisions = new Revisions(this);
  /** Conversation ids by direct pair key or room key; filled only after the creating transaction committed. */
  private final Map<String, Long> conversations = new ConcurrentHashMap<>();
  /**
   * Each conversation's newest {n, seq} as committed; written on the writer only, and only when
   * it is the database's only writer (other nodes append to the same conversations).
   */
  private final Map<Long, long[]> tails = new ConcurrentHashMap<>();
  private final RecentClientIds recentClientIds;
  private final WriterStatements writerStatements;
  /** The INSERT's clause for a client id another node stored: PostgreSQL's unique index answers it. */
  final String onStoredClientId;
  /** Indexes new messages for search behind the writer; null where each writer indexes in its commit (PostgreSQL). */
  private final SearchFollower searchFollower;

  SqlMessageStore(SqlDatabase database) {
    this.database = database;
    this.replay = new ReplayQuery(database);
    this.search = new SearchQuery(database);
    this.recentClientIds = RecentClientIds.load(database, DUPLICATE_WINDOW);
    this.writerStatements = new WriterStatements(database);
    this.onStoredClientId = database.onlyWriter() ? "" : " ON CONFLICT(sender_id, client_id) DO NOTHING";
    this.searchFollower = database.onlyWriter() ? SearchFollower.start(database) : null;
  }

  @Override
  public void close() {
    if (searchFollower != null) {
      searchFollower.close();
    }
  }

  /** What one transaction changed, merged into the caches only once it committed. */
  static final class Batch {
    final Map<String, Long> created = new HashMap<>();
    /** Conversation id to {newest n, newest seq}. */
    final Map<Long, long[]> tails = new LinkedHashMap<>();
    final Set<Long> appendedTo = new HashSet<>();
    /** Each member's cursor to the read mark it moves to. */
    final Map<ReadMark.Member, ReadMark> reads = new LinkedHashMap<>();
    /** What each client id of this transaction was stored as, in the order stored. */
    final Map<RecentClientIds.Key, AppendResult> stored = new LinkedHashMap<>();
  }

  /** What the sender's client id was stored as, earlier in this transaction or in the window, or null. */
  AppendResult storedBefore(NewMessage message, Batch batch) {
    AppendResult earlier = batch.stored.get(new RecentClientIds.Key(message.senderId(), message.clientId()));
    return earlier != null ? earlier : recentClientIds.find(message.senderId(), message.clientId());
  }

  /** Notes the message's new seq, to answer a retry of its client id with once committed. */
  static void stored(NewMessage message, long seq, Batch batch) {
    batch.stored.put(new RecentClientIds.Key(message.senderId(), message.clientId()),
        new AppendResult(seq, message.createdAtMillis(), true));
  }

  @Override
  public List<AppendResult> appendAll(List<NewMessage> messages, List<Delivery> deliveries, List<ReadMark> reads) {
    Batch batch = new Batch();
    List<AppendResult> results =
        database.write(
            connection -> {
              database.lockLog(connection);
              List<AppendResult> appended = new ArrayList<>(messages.size());
              int runStart = 0;
              for (int i = 0; i <= messages.size(); i++) {
                boolean entry = i < messages.size() && (messages.get(i).change() != null || messages.get(i).revision() != null);
                if (i == messages.size() || entry || i - runStart == ROWS_PER_STATEMENT) {
                  if (i > runStart) {
                    appended.addAll(appendChunk(connection, messages.subList(runStart, i), batch));
                  }
                  runStart = i;
                }
                if (entry) {
                  NewMessage message = messages.get(i);
                  appended.add(message.change() != null
                      ? appendEntry(connection, message, batch)
                      : revisions.append(connection, message, batch));
                  runStart = i + 1;
                }
              }
              reads.forEach(mark -> readUpTo(batch, mark));
              saveTails(connection, batch);
              saveReads(connection, batch);
              saveDeliveries(connection, deliveries);
              return appended;
            });
    conversations.putAll(batch.created);
    recentClientIds.addAll(batch.stored);
    if (searchFollower != null) {
      searchFollower.committed(results.stream().mapToLong(AppendResult::seq).max().orElse(0));
    }
    if (database.onlyWriter()) {
      batch.appendedTo.forEach(conversation -> tails.put(conversation, batch.tails.get(conversation).clone()));
    }
    return results;
  }

  /**
   * Appends up to {@link #ROWS_PER_STATEMENT} plain messages with one multi-row INSERT: the writer
   * thread is the server's bottleneck, and one statement per row spent most of it crossing into
   * SQLite. Retries of stored client ids are answered first and take no row. Rows are inserted in
   * list order, so seqs ascend in list order; RETURNING order is unspecified, so the new rows are
   * matched back by their (sender, client id), unique among the rows of one statement.
   */
  private List<AppendResult> appendChunk(Connection connection, List<NewMessage> chunk, Batch batch) throws SQLException {
    AppendResult[] results = new AppendResult[chunk.size()];
    List<Integer> fresh = new ArrayList<>(chunk.size());
    Set<String> inChunk = new HashSet<>();
    for (int i = 0; i < chunk.size(); i++) {
      NewMessage message = chunk.get(i);
      results[i] = storedBefore(message, batch);
      // A second message with the same id in this chunk is answered below, once the first has its seq.
      if (results[i] == null && inChunk.add(clientKey(message.senderId(), message.clientId()))) {
        fresh.add(i);
      }
    }
    long[] conversationIds = new long[chunk.size()];
    long[] numbers = new long[chunk.size()];
    Map<Long, Long> next = new HashMap<>();
    for (int i : fresh) {
      NewMessage message = chunk.get(i);
      conversationIds[i] = message.isRoom()
          ? roomConversation(connection, message.roomKey(), batch)
          : directConversation(connection, message.senderId(), message.recipientId(), batch);
      long conversation = conversationIds[i];
      numbers[i] = next.merge(conversation, tail(connection, conversation, batch)[0] + 1, (a, b) -> a + 1);
      if (message.file() != null) {
        SqlFileStore.insertFileAndEndUpload(connection, message.file(), message.roomKey());
      }
    }
    Map<String, Long> inserted = fresh.isEmpty() ? Map.of() : insert(connection, chunk, fresh, conversationIds, numbers);
    SearchIndex.Rows searchable = new SearchIndex.Rows(fresh.size());
    for (int i : fresh) {
      NewMessage message = chunk.get(i);
      Long seq = inserted.get(clientKey(message.senderId(), message.clientId()));
      if (seq == null) {
        // Another node stored this client id (PostgreSQL): its unique index refused the row.
        results[i] = existing(connection, message);
        continue;
      }
      stored(message, seq, batch);
      searchable.add(seq, message.file() != null ? message.file().name() : message.text());
      SearchIndex.mention(connection, conversationIds[i], seq, message.mentions());
      long n = advance(connection, conversationIds[i], seq, batch);
      if (n != numbers[i]) {
        // A row refused above took no number: close the gap it would leave.
        renumber(connection, seq, n);
      }
      readUpTo(batch, new ReadMark(conversationIds[i], message.senderId(), n, seq));
      results[i] = new AppendResult(seq, message.createdAtMillis(), false);
    }
    for (int i = 0; i < chunk.size(); i++) {
      if (results[i] == null) {
        AppendResult first = storedBefore(chunk.get(i), batch);
        results[i] = first != null ? first : existing(connection, chunk.get(i));
      }
    }
    if (searchFollower == null) {
      searchable.insert(connection);
    }
    return List.of(results);
  }

  /** Inserts the chunk's fresh messages; returns their seqs by client key. */
  private Map<String, Long> insert(Connection connection, List<NewMessage> chunk, List<Integer> fresh, long[] conversationIds,
      long[] numbers) throws SQLException {
    Map<String, Long> inserted = new HashMap<>();
    PreparedStatement insert = writerStatements.prepare(connection,
        "INSERT INTO messages(conversation_id, n, sender_id, recipient_id, client_id, body, file_id, mentions, created_at) "
            + "VALUES " + rows("(?, ?, ?, ?, ?, ?, ?, ?, ?)", fresh.size())
            + onStoredClientId + " RETURNING seq, sender_id, client_id");
    try {
      int parameter = 1;
      for (int i : fresh) {
        NewMessage message = chunk.get(i);
        insert.setLong(parameter++, conversationIds[i]);
        insert.setLong(parameter++, numbers[i]);
        insert.setLong(parameter++, message.senderId());
        if (message.isRoom()) {
          insert.setNull(parameter++, java.sql.Types.INTEGER);
        } else {
          insert.setLong(parameter++, message.recipientId());
        }
        insert.setString(parameter++, message.clientId());
        insert.setString(parameter++, message.text() == null ? "" : message.text());
        insert.setString(parameter++, message.file() == null ? null : message.file().id());
        insert.setString(parameter++, MessageRows.mentionsColumn(message.mentions()));
        insert.setLong(parameter++, message.createdAtMillis());
      }
      try (ResultSet rows = insert.executeQuery()) {
        while (rows.next()) {
          inserted.put(clientKey(rows.getLong(2), rows.getString(3)), rows.getLong(1));
        }
      }
    } finally {
      writerStatements.release(insert);
    }
    return inserted;
  }

  /** A membership entry, alone in its statement: the change it carries needs its seq. */
  private AppendResult appendEntry(Connection connection, NewMessage message, Batch batch) throws SQLException {
    RoomChange change = message.change();
    long conversation;
    if (change.kind() == EventKind.CREATED) {
      conversation = createRoom(connection, message.roomKey(), change);
      batch.created.put(roomKey(message.roomKey()), conversation);
      batch.tails.put(conversation, new long[] {0, 0});
    } else {
      conversation = roomConversation(connection, message.roomKey(), batch);
    }
    long n = tail(connection, conversation, batch)[0] + 1;
    long seq;
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO messages(conversation_id, n, sender_id, client_id, body, event_kind, event_user_id, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq")) {
      insert.setLong(1, conversation);
      insert.setLong(2, n);
      insert.setLong(3, message.senderId());
      insert.setString(4, message.clientId());
      insert.setString(5, change.name() == null ? "" : change.name());
      insert.setString(6, change.kind().wireName());
      boolean hasSubject = change.kind() == EventKind.ADDED || change.kind() == EventKind.REMOVED;
      if (hasSubject) {
        insert.setLong(7, change.userId());
      } else {
        insert.setNull(7, java.sql.Types.INTEGER);
      }
      insert.setLong(8, message.createdAtMillis());
      try (ResultSet rows = insert.executeQuery()) {
        rows.next();
        seq = rows.getLong(1);
      }
    }
    long previousSeq = tail(connection, conversation, batch)[1];
    advance(connection, conversation, seq, batch);
    switch (change.kind()) {
      case CREATED -> join(connection, conversation, change.userId(), RoomRole.OWNER, seq, n, seq);
      // An added member sees the entry that added them as unread; one who joined has read it.
      case ADDED -> join(connection, conversation, change.userId(), RoomRole.MEMBER, seq, n - 1, previousSeq);
      case JOINED -> join(connection, conversation, change.userId(), RoomRole.MEMBER, seq, n, seq);
      case LEFT, REMOVED -> leave(connection, conversation, change.userId(), seq);
      case RENAMED -> execute(connection, "UPDATE conversations SET name = ? WHERE id = ?", change.name(), conversation);
    }
    readUpTo(batch, new ReadMark(conversation, message.senderId(), n, seq));
    stored(message, seq, batch);
    return new AppendResult(seq, message.createdAtMillis(), false);
  }

  private static long createRoom(Connection connection, String key, RoomChange change) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO conversations(kind, room_key, name, open) VALUES ('room', ?, ?, ?) RETURNING id")) {
      insert.setString(1, key);
      insert.setString(2, change.name());
      insert.setInt(3, change.open() ? 1 : 0);
      try (ResultSet rows = insert.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private static void join(Connection connection, long conversation, long user, RoomRole role, long seq, long readN, long readSeq)
      throws SQLException {
    execute(
        connection,
        "INSERT INTO conversation_members(conversation_id, user_id, role, joined_seq, left_seq, read_n, read_seq) "
            + "VALUES (?, ?, ?, ?, NULL, ?, ?) ON CONFLICT(conversation_id, user_id) DO UPDATE SET role = excluded.role, "
            + "joined_seq = excluded.joined_seq, left_seq = NULL, read_n = excluded.read_n, read_seq = excluded.read_seq",
        conversation, user, role.wireName(), seq, readN, readSeq);
  }

  /**
   * Ends a membership; when the owner goes, the admin, else the member, who joined first takes
   * over (the room service applies the same rule to its copy).
   */
  private static void leave(Connection connection, long conversation, long user, long seq) throws SQLException {
    execute(
        connection,
        "UPDATE conversation_members SET left_seq = ?, role = 'member' WHERE conversation_id = ? AND user_id = ?",
        seq, conversation, user);
    execute(
        connection,
        "UPDATE conversation_members SET role = 'owner' WHERE conversation_id = ? AND user_id = "
            + "(SELECT user_id FROM conversation_members WHERE conversation_id = ? AND left_seq IS NULL "
            + "ORDER BY role = 'admin' DESC, joined_seq LIMIT 1) "
            + "AND NOT EXISTS (SELECT 1 FROM conversation_members WHERE conversation_id = ? AND left_seq IS NULL AND role = 'owner')",
        conversation, conversation, conversation);
  }

  /** Returns the number of rows changed. */
  static int execute(Connection connection, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      return statement.executeUpdate();
    }
  }

  static AppendResult existing(Connection connection, NewMessage message) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT seq, created_at FROM messages WHERE sender_id = ? AND client_id = ?")) {
      query.setLong(1, message.senderId());
      query.setString(2, message.clientId());
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return new AppendResult(rows.getLong(1), rows.getLong(2), true);
      }
    }
  }

  /** The conversation's newest {n, seq} in this transaction, read from the cache or the database once. */
  long[] tail(Connection connection, long conversation, Batch batch) throws SQLException {
    long[] tail = batch.tails.get(conversation);
    if (tail != null) {
      return tail;
    }
    long[] cached = tails.get(conversation);
    if (cached != null) {
      tail = cached.clone();
    } else {
      try (PreparedStatement query = connection.prepareStatement("SELECT last_n, last_seq FROM conversations WHERE id = ?")) {
        query.setLong(1, conversation);
        try (ResultSet rows = query.executeQuery()) {
          rows.next();
          tail = new long[] {rows.getLong(1), rows.getLong(2)};
        }
      }
    }
    batch.tails.put(conversation, tail);
    return tail;
  }

  /** Counts a new message into its conversation; returns its number. */
  private long advance(Connection connection, long conversation, long seq, Batch batch) throws SQLException {
    long[] tail = tail(connection, conversation, batch);
    tail[0]++;
    tail[1] = seq;
    batch.appendedTo.add(conversation);
    return tail[0];
  }

  private static void renumber(Connection connection, long seq, long n) throws SQLException {
    execute(connection, "UPDATE messages SET n = ? WHERE seq = ?", n, seq);
  }

  private static void readUpTo(Batch batch, ReadMark mark) {
    batch.reads.merge(mark.member(), mark, (old, now) -> now.n() > old.n() ? now : old);
  }

  // Each group commit runs the three updates below, kept prepared like its INSERT: preparing them
  // anew was 4 % of the writer thread at window 1, where commits are small and many.

  private void saveTails(Connection connection, Batch batch) throws SQLException {
    PreparedStatement update = writerStatements.prepare(connection, "UPDATE conversations SET last_n = ?, last_seq = ? WHERE id = ?");
    try {
      for (long conversation : batch.appendedTo) {
        long[] tail = batch.tails.get(conversation);
        update.setLong(1, tail[0]);
        update.setLong(2, tail[1]);
        update.setLong(3, conversation);
        update.addBatch();
      }
      update.executeBatch();
    } finally {
      writerStatements.release(update);
    }
  }

  private void saveReads(Connection connection, Batch batch) throws SQLException {
    PreparedStatement update = writerStatements.prepare(connection,
        "UPDATE conversation_members SET read_n = ?, read_seq = ? WHERE conversation_id = ? AND user_id = ? AND read_n < ?");
    try {
      for (ReadMark mark : batch.reads.values()) {
        update.setLong(1, mark.n());
        update.setLong(2, mark.seq());
        update.setLong(3, mark.conversationId());
        update.setLong(4, mark.userId());
        update.setLong(5, mark.n());
        update.addBatch();
      }
      update.executeBatch();
    } finally {
      writerStatements.release(update);
    }
  }

  private void saveDeliveries(Connection connection, List<Delivery> deliveries) throws SQLException {
    Map<Long, Long> newest = new HashMap<>();
    deliveries.forEach(d -> newest.merge(d.userId(), d.seq(), Math::max));
    PreparedStatement update = writerStatements.prepare(connection, "UPDATE users SET delivered_seq = ? WHERE id = ? AND delivered_seq < ?");
    try {
      for (Map.Entry<Long, Long> entry : newest.entrySet()) {
        update.setLong(1, entry.getValue());
        update.setLong(2, entry.getKey());
        update.setLong(3, entry.getValue());
        update.addBatch();
      }
      update.executeBatch();
    } finally {
      writerStatements.release(update);
    }
  }

  @Override
  public List<StoredMessage> directHistory(long userId, long otherUserId, long beforeSeq, int limit) {
    return database.read(
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement(DIRECT_HISTORY_SQL)) {
            query.setString(1, directKey(userId, otherUserId));
            query.setLong(2, beforeSeq);
            query.setInt(3, limit);
            return MessageRows.readNewestFirst(query);
          }
        });
  }

  @Override
  public List<StoredMessage> roomHistory(long conversationId, long beforeSeq, int limit) {
    return database.read(
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement(ROOM_HISTORY_SQL)) {
            query.setLong(1, conversationId);
            query.setLong(2, beforeSeq);
            query.setInt(3, limit);
            return MessageRows.readNewestFirst(query);
          }
        });
  }

  @Override
  public List<StoredMessage> since(long userId, long afterSeq, int limit) {
    return replay.page(userId, afterSeq, limit, false);
  }

  @Override
  public List<StoredMessage> undelivered(long userId, long afterSeq, int limit) {
    return replay.page(userId, afterSeq, limit, true);
  }

  @Override
  public List<StoredMessage> search(long userId, long conversationId, String text, long beforeSeq, int limit) {
    if (searchFollower != null) {
      searchFollower.awaitIndexed();
    }
    return search.search(userId, conversationId, text, beforeSeq, limit);
  }

  @Override
  public List<LogEntry> entries(long afterSeq, long upToSeq, int limit) {
    return database.read(
        connection -> {
          List<StoredMessage> page;
          try (PreparedStatement query = connection.prepareStatement(
              "SELECT " + MessageRows.COLUMNS + " FROM messages m" + MessageRows.JOINS
                  + "WHERE m.seq > ? AND m.seq <= ? ORDER BY m.seq LIMIT ?")) {
            query.setLong(1, afterSeq);
            query.setLong(2, upToSeq);
            query.setInt(3, limit);
            page = MessageRows.read(query);
          }
          if (page.isEmpty()) {
            return List.of();
          }
          Map<Long, Long> senders = new HashMap<>();
          Map<Long, List<Long>> members = new HashMap<>();
          try (PreparedStatement query = connection.prepareStatement(
              "SELECT m.seq, m.sender_id, cm.user_id FROM messages m JOIN conversation_members cm"
                  + " ON cm.conversation_id = m.conversation_id AND cm.joined_seq <= m.seq"
                  + " AND (cm.left_seq IS NULL OR cm.left_seq >= m.seq)"
                  + " WHERE m.seq > ? AND m.seq <= ?")) {
            query.setLong(1, afterSeq);
            query.setLong(2, page.getLast().seq());
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                senders.put(rows.getLong(1), rows.getLong(2));
                members.computeIfAbsent(rows.getLong(1), seq -> new ArrayList<>()).add(rows.getLong(3));
              }
            }
          }
          return page.stream()
              .map(m -> new LogEntry(m, senders.getOrDefault(m.seq(), 0L), members.getOrDefault(m.seq(), List.of())))
              .toList();
        });
  }

  @Override
  public long newestSeq() {
    return database.read(
        connection -> {
          try (PreparedStatement query = connection.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM messages");
              ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
          }
        });
  }

  @Override
  public Optional<StoredMessage> message(long seq) {
    return database.read(
        connection -> {
          try (PreparedStatement query = connection.prepareStatement(
              "SELECT " + MessageRows.COLUMNS + " FROM messages m" + MessageRows.JOINS + "WHERE m.seq = ?")) {
            query.setLong(1, seq);
            return MessageRows.read(query).stream().findFirst();
          }
        });
  }

  @Override
  public Optional<AppendResult> accepted(long senderId, String clientId) {
    AppendResult recent = recentClientIds.find(senderId, clientId);
    if (recent != null || database.onlyWriter()) {
      return Optional.ofNullable(recent);
    }
    return database.read(
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement("SELECT seq, created_at FROM messages WHERE sender_id = ? AND client_id = ?")) {
            query.setLong(1, senderId);
            query.setString(2, clientId);
            try (ResultSet rows = query.executeQuery()) {
              return rows.next() ? Optional.of(new AppendResult(rows.getLong(1), rows.getLong(2), true)) : Optional.empty();
            }
          }
        });
  }

  private long roomConversation(Connection connection, String key, Batch batch) throws SQLException {
    String cacheKey = roomKey(key);
    Long known = conversations.get(cacheKey);
    if (known == null) {
      known = batch.created.get(cacheKey);
    }
    if (known != null) {
      return known;
    }
    try (PreparedStatement query = connection.prepareStatement("SELECT id FROM conversations WHERE room_key = ?")) {
      query.setString(1, key);
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          throw new SQLException("no room " + key);
        }
        batch.created.put(cacheKey, rows.getLong(1));
        return rows.getLong(1);
      }
    }
  }

  private long directConversation(Connection connection, long userA, long userB, Batch batch) throws SQLException {
    String key = directKey(userA, userB);
    Long known = conversations.get(key);
    if (known == null) {
      known = batch.created.get(key);
    }
    if (known != null) {
      return known;
    }
    long id = createDirect(connection, key, userA, userB);
    batch.created.put(key, id);
    return id;
  }

  /** The direct conversation of the two users, created with its two members if need be. */
  static long createDirect(Connection connection, String key, long userA, long userB) throws SQLException {
    long id;
    try (PreparedStatement upsert =
        connection.prepareStatement(
            "INSERT INTO conversations(kind, direct_key) VALUES ('direct', ?) "
                + "ON CONFLICT(direct_key) DO UPDATE SET kind = excluded.kind RETURNING id")) {
      upsert.setString(1, key);
      try (ResultSet rows = upsert.executeQuery()) {
        rows.next();
        id = rows.getLong(1);
      }
    }
    try (PreparedStatement member =
        connection.prepareStatement(
            "INSERT INTO conversation_members(conversation_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
      for (long user : new long[] {userA, userB}) {
        member.setLong(1, id);
        member.setLong(2, user);
        member.executeUpdate();
      }
    }
    return id;
  }

  private static String clientKey(long senderId, String clientId) {
    return senderId + ":" + clientId;
  }

  private static String roomKey(String key) {
    return "room:" + key;
  }

  static String directKey(long userA, long userB) {
    return Math.min(userA, userB) + ":" + Math.max(userA, userB);
  }
}
