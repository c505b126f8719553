package dev.parley.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.config.Settings;
import dev.parley.server.config.StoreSettings;
import dev.parley.server.store.postgres.PostgresDatabase;
import dev.parley.server.store.sql.SqlStores;
import dev.parley.server.store.sqlite.SqliteDatabase;
import dev.parley.server.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreProviderTest {
  @Test
  void theDefaultSettingsOpenTheEmbeddedDatabaseInTheDataDirectory(@TempDir Path dir) throws Exception {
    StoreSettings settings = Settings.defaultsOnly().with("data-dir", dir).toConfig().store();

    try (SqlStores stores = StoreProvider.open(settings)) {
      assertThat(stores.database()).isInstanceOf(SqliteDatabase.class);
      stores.users().create("yara", "yara", "hash", 0);
    }

    assertThat(Files.exists(dir.resolve("parley.db"))).isTrue();
    try (Stores reopened = StoreProvider.open(settings)) {
      assertThat(reopened.users().findByKey("yara")).map(User::username).hasValue("yara");
    }
  }

  @Test
  void aPostgresqlUrlOpensThatDatabaseAndNothingInTheDataDirectory(@TempDir Path dir) throws Exception {
    try (TestDatabase database = TestDatabase.create()) {
      StoreSettings settings = Settings.defaultsOnly().with("data-dir", dir).with("database", database.url()).toConfig().store();

      try (SqlStores stores = StoreProvider.open(settings)) {
        assertThat(stores.database()).isInstanceOf(PostgresDatabase.class);
        stores.users().create("雅拉", "雅拉", "hash", 0);
      }
      try (Stores reopened = StoreProvider.open(settings)) {
        assertThat(reopened.users().findByKey("雅拉")).map(User::username).hasValue("雅拉");
      }
      assertThat(dir.resolve("parley.db")).doesNotExist();
    }
  }

  @Test
  void aDatabaseSettingThatIsNoPostgresqlUrlIsRefused() {
    assertThatThrownBy(() -> Settings.defaultsOnly().with("database", "mysql://db/parley").toConfig())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("postgresql://");
  }
}
