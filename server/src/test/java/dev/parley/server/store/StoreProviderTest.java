package dev.parley.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.config.Settings;
import dev.parley.server.config.StoreSettings;
import dev.parley.server.store.sqlite.SqliteStores;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreProviderTest {
  @Test
  void theDefaultSettingsOpenTheEmbeddedDatabaseInTheDataDirectory(@TempDir Path dir) throws Exception {
    StoreSettings settings = Settings.defaultsOnly().with("data-dir", dir).toConfig().store();

    try (Stores stores = StoreProvider.open(settings)) {
      assertThat(stores).isInstanceOf(SqliteStores.class);
      stores.users().create("yara", "yara", "hash", 0);
    }

    assertThat(Files.exists(dir.resolve("parley.db"))).isTrue();
    try (Stores reopened = StoreProvider.open(settings)) {
      assertThat(reopened.users().findByKey("yara")).map(User::username).hasValue("yara");
    }
  }
}
