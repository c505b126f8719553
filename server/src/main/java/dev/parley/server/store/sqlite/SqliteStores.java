package dev.parley.server.store.sqlite;

import dev.parley.server.admin.BulkAccounts;
import dev.parley.server.store.ConversationStore;
import dev.parley.server.store.FileStore;
import dev.parley.server.store.InviteStore;
import dev.parley.server.store.MessageStore;
import dev.parley.server.store.Stores;
import dev.parley.server.store.TokenStore;
import dev.parley.server.store.UserStore;
import java.nio.file.Path;

/** The embedded default: every store in one SQLite file under the data directory. */
public final class SqliteStores implements Stores {
  public static final String DATABASE_FILE_NAME = SqliteDatabase.FILE_NAME;

  private final SqliteDatabase database;
  private final UserStore users;
  private final TokenStore tokens;
  private final InviteStore invites;
  private final MessageStore messages;
  private final FileStore files;
  private final ConversationStore conversations;

  private SqliteStores(SqliteDatabase database) {
    this.database = database;
    this.users = new SqliteUserStore(database);
    this.tokens = new SqliteTokenStore(database);
    this.invites = new SqliteInviteStore(database);
    this.messages = new SqliteMessageStore(database);
    this.files = new SqliteFileStore(database);
    this.conversations = new SqliteConversationStore(database);
  }

  /** For tests of the SQL itself (query plans). */
  SqliteDatabase database() {
    return database;
  }

  public static SqliteStores open(Path dataDir) {
    return new SqliteStores(SqliteDatabase.open(dataDir));
  }

  /** As {@link #open(Path)}, with the WAL file kept near {@code walMaxBytes}. */
  public static SqliteStores open(Path dataDir, long walMaxBytes) {
    return new SqliteStores(SqliteDatabase.open(dataDir, walMaxBytes));
  }

  @Override
  public UserStore users() {
    return users;
  }

  @Override
  public TokenStore tokens() {
    return tokens;
  }

  @Override
  public InviteStore invites() {
    return invites;
  }

  @Override
  public MessageStore messages() {
    return messages;
  }

  @Override
  public FileStore files() {
    return files;
  }

  @Override
  public ConversationStore conversations() {
    return conversations;
  }

  /** Bulk writes for the operator's bench setup, on this database; not one of the {@link Stores}. */
  public BulkAccounts bulkAccounts() {
    return new SqliteBulkAccounts(database);
  }

  @Override
  public void close() {
    database.close();
  }
}
