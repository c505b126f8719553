package dev.parley.server.store.sqlite;

import dev.parley.server.account.Usernames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schema versions, applied in order on open; {@code PRAGMA user_version} records how far a
 * database has come. Never edit a released step: add the next one.
 */
final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  /** One schema version: SQL, or code where SQL alone cannot do it. */
  private interface Step {
    void apply(Connection connection) throws SQLException;
  }

  private static final List<Step> STEPS =
      List.of(
          sql("""
          CREATE TABLE users (
            id            INTEGER PRIMARY KEY,
            username      TEXT    NOT NULL,
            username_key  TEXT    NOT NULL UNIQUE,
            password_hash TEXT    NOT NULL,
            created_at    INTEGER NOT NULL
          );
          CREATE TABLE tokens (
            token_hash   TEXT    PRIMARY KEY,
            user_id      INTEGER NOT NULL REFERENCES users(id),
            created_at   INTEGER NOT NULL,
            last_used_at INTEGER NOT NULL
          ) WITHOUT ROWID;
          CREATE INDEX tokens_by_last_use ON tokens(last_used_at);
          -- A conversation is a direct pair (kind 'direct', keyed by both user ids) or, later, a room.
          CREATE TABLE conversations (
            id         INTEGER PRIMARY KEY,
            kind       TEXT NOT NULL,
            direct_key TEXT UNIQUE
          );
          CREATE TABLE conversation_members (
            conversation_id INTEGER NOT NULL REFERENCES conversations(id),
            user_id         INTEGER NOT NULL REFERENCES users(id),
            PRIMARY KEY (conversation_id, user_id)
          ) WITHOUT ROWID;
          CREATE INDEX members_by_user ON conversation_members(user_id, conversation_id);
          -- AUTOINCREMENT: a seq is never reused, even after the newest message is deleted.
          CREATE TABLE messages (
            seq             INTEGER PRIMARY KEY AUTOINCREMENT,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id),
            sender_id       INTEGER NOT NULL REFERENCES users(id),
            recipient_id    INTEGER REFERENCES users(id),
            client_id       TEXT    NOT NULL,
            body            TEXT    NOT NULL,
            created_at      INTEGER NOT NULL,
            UNIQUE (sender_id, client_id)
          );
          CREATE INDEX messages_by_conversation ON messages(conversation_id, seq);
          -- Messages not yet delivered to any connection of the user.
          CREATE TABLE inbox (
            user_id INTEGER NOT NULL,
            seq     INTEGER NOT NULL,
            PRIMARY KEY (user_id, seq)
          ) WITHOUT ROWID;
          """),
          sql("""
          -- Finished files; the bytes are DATA_DIR/files/<id>. A file message points at its file.
          CREATE TABLE files (
            id           TEXT    PRIMARY KEY,
            sender_id    INTEGER NOT NULL REFERENCES users(id),
            recipient_id INTEGER NOT NULL REFERENCES users(id),
            name         TEXT    NOT NULL,
            size         INTEGER NOT NULL,
            sha256       TEXT    NOT NULL,
            type         TEXT,
            created_at   INTEGER NOT NULL
          ) WITHOUT ROWID;
          ALTER TABLE messages ADD COLUMN file_id TEXT REFERENCES files(id);
          -- Uploads in progress (tus); the bytes so far are DATA_DIR/uploads/<id>.part.
          CREATE TABLE uploads (
            id              TEXT    PRIMARY KEY,
            owner_id        INTEGER NOT NULL REFERENCES users(id),
            recipient_id    INTEGER NOT NULL REFERENCES users(id),
            filename        TEXT    NOT NULL,
            type            TEXT,
            expected_sha256 TEXT,
            length          INTEGER,
            upload_offset   INTEGER NOT NULL,
            metadata        TEXT    NOT NULL,
            created_at      INTEGER NOT NULL,
            expires_at      INTEGER NOT NULL
          ) WITHOUT ROWID;
          CREATE INDEX uploads_by_owner ON uploads(owner_id);
          CREATE INDEX uploads_by_expiry ON uploads(expires_at);
          """),
          Migrations::addUsernameSkeletons,
          sql("""
          -- Version 4. A file its sender deleted keeps its row (its message stays in history); its bytes are gone.
          ALTER TABLE files ADD COLUMN deleted_at INTEGER;
          -- For the storage quota: the bytes of the files a user sent.
          CREATE INDEX files_by_sender ON files(sender_id);
          """),
          sql("""
          -- Version 5: rooms beside direct pairs, one row per message and cursors per member
          -- instead of a row per recipient. A room has a public key, a name and an open flag.
          ALTER TABLE conversations ADD COLUMN room_key TEXT;
          ALTER TABLE conversations ADD COLUMN name TEXT;
          ALTER TABLE conversations ADD COLUMN open INTEGER NOT NULL DEFAULT 0;
          -- The conversation's own gap-free counter (messages.n) and its newest message.
          ALTER TABLE conversations ADD COLUMN last_n INTEGER NOT NULL DEFAULT 0;
          ALTER TABLE conversations ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;
          CREATE UNIQUE INDEX conversations_by_room_key ON conversations(room_key);
          CREATE INDEX open_rooms ON conversations(open) WHERE open = 1;
          -- A member's role (rooms), the entry that made them one, the entry that ended it (null
          -- while a member), and the read cursor as (n, seq) of the newest message read.
          ALTER TABLE conversation_members ADD COLUMN role TEXT;
          ALTER TABLE conversation_members ADD COLUMN joined_seq INTEGER NOT NULL DEFAULT 0;
          ALTER TABLE conversation_members ADD COLUMN left_seq INTEGER;
          ALTER TABLE conversation_members ADD COLUMN read_n INTEGER NOT NULL DEFAULT 0;
          ALTER TABLE conversation_members ADD COLUMN read_seq INTEGER NOT NULL DEFAULT 0;
          ALTER TABLE messages ADD COLUMN n INTEGER NOT NULL DEFAULT 0;
          -- A membership entry: its kind, whom it was done to; a room name travels in body.
          ALTER TABLE messages ADD COLUMN event_kind TEXT;
          ALTER TABLE messages ADD COLUMN event_user_id INTEGER REFERENCES users(id);
          -- Everything in the user's conversations up to here reached one of their connections.
          ALTER TABLE users ADD COLUMN delivered_seq INTEGER NOT NULL DEFAULT 0;
          UPDATE messages SET n = r.n
            FROM (SELECT seq, row_number() OVER (PARTITION BY conversation_id ORDER BY seq) AS n FROM messages) AS r
            WHERE messages.seq = r.seq;
          UPDATE conversations SET last_n = a.n, last_seq = a.s
            FROM (SELECT conversation_id, count(*) AS n, max(seq) AS s FROM messages GROUP BY conversation_id) AS a
            WHERE conversations.id = a.conversation_id;
          -- What was sent before rooms existed counts as read, so nobody starts with old unread marks.
          UPDATE conversation_members SET
            read_n = (SELECT last_n FROM conversations c WHERE c.id = conversation_id),
            read_seq = (SELECT last_seq FROM conversations c WHERE c.id = conversation_id);
          -- Undelivered inbox rows become the delivery cursor: just below the oldest undelivered
          -- message, so nothing undelivered is lost (a few delivered ones may come again).
          UPDATE users SET delivered_seq = coalesce(
            (SELECT min(seq) - 1 FROM inbox WHERE user_id = users.id),
            (SELECT coalesce(max(seq), 0) FROM messages));
          DROP TABLE inbox;
          -- A room's file: who may download it is decided by the room's members.
          ALTER TABLE files ADD COLUMN room_key TEXT;
          """),
          sql("""
          -- Edit and delete entries point at the message they change (edits, deletes); the message
          -- itself keeps its current state: body is the latest text, edited_at / deleted_at say so.
          ALTER TABLE messages ADD COLUMN edits INTEGER;
          ALTER TABLE messages ADD COLUMN deletes INTEGER;
          ALTER TABLE messages ADD COLUMN edited_at INTEGER;
          ALTER TABLE messages ADD COLUMN deleted_at INTEGER;
          -- The usernames a room message mentions, one per line, as registered.
          ALTER TABLE messages ADD COLUMN mentions TEXT;
          -- Whether another live message still refers to a file, when one that did is deleted.
          CREATE INDEX messages_by_file ON messages(file_id) WHERE file_id IS NOT NULL;
          -- Who is mentioned where: a member's mentions after their read cursor are one range of this.
          CREATE TABLE message_mentions (
            conversation_id INTEGER NOT NULL,
            user_id         INTEGER NOT NULL,
            seq             INTEGER NOT NULL,
            PRIMARY KEY (conversation_id, user_id, seq)
          ) WITHOUT ROWID;
          -- The member's notification level: null is the default, 'all'.
          ALTER TABLE conversation_members ADD COLUMN notify TEXT;
          -- Search: the current text of each text message, or the file name of a file message, by
          -- seq. Trigram: substrings of three characters or more match, so Chinese needs no word
          -- breaks. Contentless: the text lives in messages only, and deleting a row is allowed.
          CREATE VIRTUAL TABLE message_search USING fts5(body, content='', contentless_delete=1, tokenize='trigram');
          INSERT INTO message_search(rowid, body)
            SELECT m.seq, coalesce(f.name, m.body) FROM messages m LEFT JOIN files f ON f.id = m.file_id
            WHERE m.event_kind IS NULL;
          """),
          sql("""
          -- Accounts run by admins: the admin role, disabled and deleted accounts (a deleted one
          -- keeps its row, so its messages keep their sender and its name stays taken), a password
          -- reset that must be replaced at the next login, and when the user was last seen.
          ALTER TABLE users ADD COLUMN admin INTEGER NOT NULL DEFAULT 0;
          ALTER TABLE users ADD COLUMN disabled_at INTEGER;
          ALTER TABLE users ADD COLUMN deleted_at INTEGER;
          ALTER TABLE users ADD COLUMN password_change_required INTEGER NOT NULL DEFAULT 0;
          ALTER TABLE users ADD COLUMN last_seen_at INTEGER;
          -- A login token is one of the user's sessions: where it logged in from, as far as known.
          ALTER TABLE tokens ADD COLUMN client_address TEXT;
          ALTER TABLE tokens ADD COLUMN client_agent TEXT;
          CREATE INDEX tokens_by_user ON tokens(user_id);
          -- Invite codes, known only by their SHA-256; created_by is null for the operator's CLI.
          CREATE TABLE invites (
            id         INTEGER PRIMARY KEY,
            code_hash  TEXT    NOT NULL UNIQUE,
            created_by INTEGER REFERENCES users(id),
            created_at INTEGER NOT NULL,
            expires_at INTEGER,
            max_uses   INTEGER NOT NULL,
            uses       INTEGER NOT NULL DEFAULT 0,
            revoked_at INTEGER
          );
          """),
          sql("""
          -- Version 8. A deleted message no longer counts as unread: the unread count subtracts the deleted
          -- messages after the read cursor, found on this index without reading the others.
          CREATE INDEX deleted_messages ON messages(conversation_id, n) WHERE deleted_at IS NOT NULL;
          """),
          sql("""
          -- Version 9: the log without its unique index on (sender_id, client_id), which cost each
          -- commit more disk pages than the rows: a retry is now told by the store's window of the
          -- newest client ids (SqlMessageStore), rebuilt from the log's tail on start. SQLite drops
          -- a table's UNIQUE only with the table, so the rows move to a copy of it without one, in
          -- the same column order, keeping the AUTOINCREMENT high mark.
          CREATE TABLE messages_without_unique_client_id (
            seq             INTEGER PRIMARY KEY AUTOINCREMENT,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id),
            sender_id       INTEGER NOT NULL REFERENCES users(id),
            recipient_id    INTEGER REFERENCES users(id),
            client_id       TEXT    NOT NULL,
            body            TEXT    NOT NULL,
            created_at      INTEGER NOT NULL,
            file_id         TEXT REFERENCES files(id),
            n               INTEGER NOT NULL DEFAULT 0,
            event_kind      TEXT,
            event_user_id   INTEGER REFERENCES users(id),
            edits           INTEGER,
            deletes         INTEGER,
            edited_at       INTEGER,
            deleted_at      INTEGER,
            mentions        TEXT
          );
          INSERT INTO messages_without_unique_client_id(seq, conversation_id, sender_id, recipient_id, client_id, body,
              created_at, file_id, n, event_kind, event_user_id, edits, deletes, edited_at, deleted_at, mentions)
            SELECT seq, conversation_id, sender_id, recipient_id, client_id, body,
              created_at, file_id, n, event_kind, event_user_id, edits, deletes, edited_at, deleted_at, mentions
            FROM messages ORDER BY seq;
          UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'messages')
            WHERE name = 'messages_without_unique_client_id' AND EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'messages');
          DROP TABLE messages;
          ALTER TABLE messages_without_unique_client_id RENAME TO messages;
          CREATE INDEX messages_by_conversation ON messages(conversation_id, seq);
          CREATE INDEX messages_by_file ON messages(file_id) WHERE file_id IS NOT NULL;
          CREATE INDEX deleted_messages ON messages(conversation_id, n) WHERE deleted_at IS NOT NULL;
          """),
          sql("""
          -- Version 10: the search index merges its segments sixteen at a time rather than four,
          -- and never all of a level at once. Merging was most of the index's cost (with 4, an
          -- indexed message was rewritten about twice as often: ~1 KB written per message), and a
          -- "crisis" merge at 16 segments rewrote a whole level in one transaction, several MB of
          -- WAL past its bound; at 64 the incremental merges (at 16) always come first. A search
          -- reads a few more segments.
          INSERT INTO message_search(message_search, rank) VALUES ('automerge', 16);
          INSERT INTO message_search(message_search, rank) VALUES ('crisismerge', 64);
          """),
          sql("""
          -- Version 11: the search index without positions (detail=none): it finds the messages
          -- that hold every trigram of a query, and the query checks the substring itself
          -- (TrigramMatch). Keeping each trigram's positions, to answer the substring as a phrase,
          -- cost three times the bytes written and twice the CPU per indexed message (measured:
          -- 553 against 179 B, 11.5 against 5.1 µs). The index is contentless, so it cannot be
          -- copied: it starts empty, and the search follower indexes the log into it when the
          -- store opens, in its bounded transactions.
          DROP TABLE message_search;
          CREATE VIRTUAL TABLE message_search USING fts5(body, content='', contentless_delete=1, tokenize='trigram', detail=none);
          INSERT INTO message_search(message_search, rank) VALUES ('automerge', 16);
          INSERT INTO message_search(message_search, rank) VALUES ('crisismerge', 64);
          """));

  private Migrations() {}

  static void apply(Connection connection) throws SQLException {
    apply(connection, STEPS.size());
  }

  /** Up to {@code version} only: for tests that need a database as an older release left it. */
  static void apply(Connection connection, int version) throws SQLException {
    for (int step = userVersion(connection); step < version; step++) {
      STEPS.get(step).apply(connection);
      try (Statement statement = connection.createStatement()) {
        statement.execute("PRAGMA user_version = " + (step + 1));
      }
      connection.commit();
    }
  }

  private static Step sql(String script) {
    return connection -> {
      try (Statement statement = connection.createStatement()) {
        for (String sql : script.split(";\\s*\\n")) {
          if (!sql.isBlank()) {
            statement.execute(sql);
          }
        }
      }
    };
  }

  /**
   * Version 3: each user's look-alike skeleton ({@link Usernames#skeleton}), unique, so that a
   * name that looks like a taken one is taken. Users who registered look-alikes before this
   * version keep their names; only the first of them holds the skeleton (the others' is null,
   * which the unique index allows), and new look-alikes of any of them are refused.
   */
  private static void addUsernameSkeletons(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("ALTER TABLE users ADD COLUMN username_skeleton TEXT");
    }
    Set<String> taken = new HashSet<>();
    try (Statement select = connection.createStatement();
        ResultSet users = select.executeQuery("SELECT id, username FROM users ORDER BY id");
        PreparedStatement update = connection.prepareStatement("UPDATE users SET username_skeleton = ? WHERE id = ?")) {
      while (users.next()) {
        String skeleton = Usernames.skeleton(users.getString(2));
        if (taken.add(skeleton)) {
          update.setString(1, skeleton);
          update.setLong(2, users.getLong(1));
          update.executeUpdate();
        } else {
          log.warn("user '{}' looks like an older user's name; kept, but only the older one blocks look-alikes", users.getString(2));
        }
      }
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE UNIQUE INDEX users_by_skeleton ON users(username_skeleton)");
    }
  }

  private static int userVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("PRAGMA user_version")) {
      return rows.next() ? rows.getInt(1) : 0;
    }
  }
}
