package dev.parley.server.store.sql;

import dev.parley.server.admin.BulkAccounts;
import dev.parley.server.store.ConversationStore;
import dev.parley.server.store.FileStore;
import dev.parley.server.store.InviteStore;
import dev.parley.server.store.LimitCells;
import dev.parley.server.store.MessageStore;
import dev.parley.server.store.Stores;
import dev.parley.server.store.TokenStore;
import dev.parley.server.store.UploadLocks;
import dev.parley.server.store.UserStore;

/** Every store on one SQL database, SQLite's or PostgreSQL's; closing them closes the database. */
public final class SqlStores implements Stores {
  private final SqlDatabase database;
  private final UserStore users;
  private final TokenStore tokens;
  private final InviteStore invites;
  private final SqlMessageStore messages;
  private final FileStore files;
  private final ConversationStore conversations;

  public SqlStores(SqlDatabase database) {
    this.database = database;
    this.users = new SqlUserStore(database);
    this.tokens = new SqlTokenStore(database);
    this.invites = new SqlInviteStore(database);
    this.messages = new SqlMessageStore(database);
    this.files = new SqlFileStore(database);
    this.conversations = new SqlConversationStore(database);
  }

  /** The database under the stores, for tests of the SQL itself and for the operator's copy. */
  public SqlDatabase database() {
    return database;
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

  @Override
  public UploadLocks uploadLocks() {
    return database.uploadLocks();
  }

  @Override
  public LimitCells limitCells() {
    return database.limitCells();
  }

  @Override
  public String problem() {
    return database.problem();
  }

  /** Bulk writes for the operator's bench setup, on this database; not one of the {@link Stores}. */
  public BulkAccounts bulkAccounts() {
    return new SqlBulkAccounts(database);
  }

  @Override
  public void close() {
    messages.close();
    database.close();
  }
}
