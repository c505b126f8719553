package dev.parley.server.store;

import dev.parley.server.admin.BulkAccounts;
import dev.parley.server.config.StoreSettings;
import dev.parley.server.store.sqlite.SqliteSnapshot;
import dev.parley.server.store.sqlite.SqliteStores;
import java.nio.file.Path;

/**
 * The one place that picks the store implementation from configuration. Only the embedded SQLite
 * database exists today; another backend (a {@code database} setting naming a PostgreSQL URL, say)
 * adds its branch here and nowhere else, so the server and the operator commands follow it.
 */
public final class StoreProvider {
  private StoreProvider() {}

  /** Opens (creating or migrating as needed) the stores the settings name; the caller closes them. */
  public static Stores open(StoreSettings settings) {
    return SqliteStores.open(settings.dataDir(), settings.walMaxBytes());
  }

  /** The stores plus the bulk account writes that only the operator's set-up commands use. */
  public static OperatorStores openForOperator(StoreSettings settings) {
    SqliteStores stores = SqliteStores.open(settings.dataDir(), settings.walMaxBytes());
    return new OperatorStores(stores, stores.bulkAccounts());
  }

  /**
   * A consistent copy of the database of {@code dataDir} in {@code target} (which must not exist),
   * taken while a server may be writing to it; for backups.
   */
  public static DatabaseSnapshot snapshot(Path dataDir, Path target) {
    return SqliteSnapshot.take(dataDir, target);
  }

  /** The database file's name inside a data directory. */
  public static String databaseFileName() {
    return SqliteStores.DATABASE_FILE_NAME;
  }

  /** Stores with bulk writes beside them; the caller closes the stores. */
  public record OperatorStores(Stores stores, BulkAccounts bulk) {}
}
