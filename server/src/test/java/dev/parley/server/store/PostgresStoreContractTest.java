package dev.parley.server.store;

import dev.parley.server.store.postgres.PostgresDatabase;
import dev.parley.server.store.sql.SqlStores;
import dev.parley.server.testing.TestDatabase;

/** The store contract on a real PostgreSQL database of its own, with three nodes writing at once. */
class PostgresStoreContractTest extends StoreContract {
  private final TestDatabase database = TestDatabase.create();

  @Override
  protected SqlStores open() {
    return new SqlStores(PostgresDatabase.open(database.parsedUrl(), 4));
  }

  @Override
  protected int writerNodes() {
    return 3;
  }

  @Override
  protected void afterClose() {
    database.close();
  }
}
