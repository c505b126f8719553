package dev.parley.server.store;

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
    return SqliteStores.open(settings.dataDir());
  }
}
