package dev.parley.server.store;

import dev.parley.server.admin.BulkAccounts;
import dev.parley.server.config.StoreSettings;
import dev.parley.server.store.postgres.PostgresDatabase;
import dev.parley.server.store.postgres.PostgresUrl;
import dev.parley.server.store.sql.SqlDatabase;
import dev.parley.server.store.sql.SqlStores;
import dev.parley.server.store.sqlite.SqliteDatabase;
import dev.parley.server.store.sqlite.SqliteSnapshot;
import java.nio.file.Path;

/**
 * The one place that picks the store implementation from configuration: SQLite in the data
 * directory by default, PostgreSQL when the {@code database} setting names a
 * {@code postgresql://} URL. The server and the operator commands both open their stores here.
 */
public final class StoreProvider {
  /**
   * PostgreSQL connections beyond the reader threads: the message writer, and the writes that
   * run on request threads (registration, tokens, upload progress).
   */
  private static final int WRITER_CONNECTIONS = 4;

  private StoreProvider() {}

  /** Opens (creating or migrating as needed) the stores the settings name; the caller closes them. */
  public static SqlStores open(StoreSettings settings) {
    return new SqlStores(database(settings));
  }

  /** The stores plus the bulk account writes that only the operator's set-up commands use. */
  public static OperatorStores openForOperator(StoreSettings settings) {
    SqlStores stores = open(settings);
    return new OperatorStores(stores, stores.bulkAccounts());
  }

  private static SqlDatabase database(StoreSettings settings) {
    if (settings.database() == null) {
      return SqliteDatabase.open(settings.dataDir(), settings.walMaxBytes());
    }
    PostgresUrl url = PostgresUrl.parse(settings.database(), PostgresUrl.Environment.current());
    return PostgresDatabase.open(url, settings.dbReaderThreads() + WRITER_CONNECTIONS);
  }

  /**
   * A consistent copy of the database of {@code dataDir} in {@code target} (which must not exist),
   * taken while a server may be writing to it; for backups. SQLite only: a PostgreSQL database is
   * backed up with PostgreSQL's own tools (pg_dump), which the backup command points to.
   */
  public static DatabaseSnapshot snapshot(Path dataDir, Path target) {
    return SqliteSnapshot.take(dataDir, target);
  }

  /** The database file's name inside a data directory. */
  public static String databaseFileName() {
    return SqliteDatabase.FILE_NAME;
  }

  /** Stores with bulk writes beside them; the caller closes the stores. */
  public record OperatorStores(Stores stores, BulkAccounts bulk) {}
}
