package dev.parley.server.store;

/**
 * The set of stores one server runs on, on SQLite or PostgreSQL ({@code sql/SqlStores}).
 * {@link StoreProvider} picks the implementation.
 */
public interface Stores extends AutoCloseable {
  UserStore users();

  TokenStore tokens();

  InviteStore invites();

  MessageStore messages();

  FileStore files();

  ConversationStore conversations();

  UploadLocks uploadLocks();

  LimitCells limitCells();

  /** What keeps the database from answering now (PostgreSQL down or refusing), or null; never blocks. */
  String problem();

  @Override
  void close();
}
