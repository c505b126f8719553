package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every command finds the data directory the same way: flag, environment, settings file, default. */
class DataDirectoryTest {
  @TempDir Path work;

  @Test
  void theFlagWinsOverTheEnvironmentWhichWinsOverTheSettingsFile() throws Exception {
    Path config = Files.writeString(work.resolve("parley.conf"), "data-dir=/srv/from-file\n");
    Map<String, String> both = Map.of("PARLEY_DATA_DIR", "from-env", "PARLEY_CONFIG", config.toString());

    assertThat(locate(both, "--data-dir", "from-flag").dataDir()).isEqualTo(work.resolve("from-flag"));
    assertThat(locate(both).dataDir()).isEqualTo(work.resolve("from-env"));
    assertThat(locate(Map.of("PARLEY_CONFIG", config.toString())).dataDir()).isEqualTo(Path.of("/srv/from-file"));
    assertThat(locate(Map.of(), "--config", config.toString()).configFile()).isEqualTo(config);
  }

  @Test
  void withNothingGivenItIsParleyDataInTheWorkingDirectoryWithItsOwnSettingsFile() throws Exception {
    assertThat(locate(Map.of())).isEqualTo(new DataDirectory.Location(work.resolve("parley-data"), null, null));

    Path settings = Files.writeString(Files.createDirectories(work.resolve("parley-data")).resolve("parley.properties"), "");
    assertThat(locate(Map.of()).configFile()).isEqualTo(settings);
  }

  private DataDirectory.Location locate(Map<String, String> variables, String... args) {
    DataDirectory options = CommandLine.populateCommand(new DataDirectory(), args);
    return options.locate(new CliEnvironment(variables, InputStream.nullInputStream(), null, work.resolve("home"), work));
  }
}
