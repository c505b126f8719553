package dev.parley.server.store;

import dev.parley.server.admin.BulkAccounts;
import dev.parley.server.config.StoreSettings;
import dev.parley.server.store.sqlite.SqliteStores;

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

  /** Stores with bulk writes beside them; the caller closes the stores. */
  public record OperatorStores(Stores stores, BulkAccounts bulk) {}
}
