package dev.parley.server.store;

import dev.parley.server.store.sql.SqlStores;
import dev.parley.server.store.sqlite.SqliteDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded SQLite file: one writer, as the server runs it. */
class SqliteStoreContractTest extends StoreContract {
  @TempDir Path dir;

  @Override
  protected SqlStores open() {
    return new SqlStores(SqliteDatabase.open(dir));
  }

  @Override
  protected int writerNodes() {
    return 1;
  }
}
