package dev.parley.server.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code database} setting read as libpq reads a connection URI. */
class PostgresUrlTest {
  @TempDir Path home;

  private PostgresUrl parse(String url, Map<String, String> variables) {
    return PostgresUrl.parse(url, new PostgresUrl.Environment(variables, home));
  }

  @Test
  void userPasswordHostPortDatabaseAndSslmodeComeFromTheUri() {
    PostgresUrl url = parse("postgresql://parley:p%40ss%3Aword@db.example.org:6432/chat?sslmode=verify-full&application_name=node-a", Map.of());

    assertThat(url.user()).isEqualTo("parley");
    assertThat(url.password()).isEqualTo("p@ss:word");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.org:6432/chat");
    assertThat(url.driverProperties()).containsEntry("sslmode", "verify-full").containsEntry("ApplicationName", "node-a");
    assertThat(url.toString()).doesNotContain("p@ss").isEqualTo("postgresql://parley@db.example.org:6432/chat");
  }

  @Test
  void defaultsAreLibpqsLocalhostPort5432AndTheUserAsDatabase() {
    PostgresUrl url = parse("postgres://parley@", Map.of());

    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/parley");
    assertThat(url.password()).isNull();
  }

  @Test
  void thePasswordComesFromPgpasswordWhenTheUriHasNone() {
    assertThat(parse("postgresql://parley@db/chat", Map.of("PGPASSWORD", "from-env")).password()).isEqualTo("from-env");
    assertThat(parse("postgresql://parley:in-uri@db/chat", Map.of("PGPASSWORD", "from-env")).password()).isEqualTo("in-uri");
  }

  @Test
  void thePasswordFileIsReadLikeLibpqsAndIgnoredWhenOthersCanReadIt() throws Exception {
    Path passfile = home.resolve("pass");
    Files.writeString(passfile, """
        # comment
        other:5432:chat:parley:wrong-host
        db:5432:chat:parley:pa\\:ss
        *:*:*:*:fallback
        """);
    Files.setPosixFilePermissions(passfile, PosixFilePermissions.fromString("rw-------"));

    assertThat(parse("postgresql://parley@db/chat?passfile=" + passfile, Map.of()).password()).isEqualTo("pa:ss");
    assertThat(parse("postgresql://parley@elsewhere/chat", Map.of("PGPASSFILE", passfile.toString())).password()).isEqualTo("fallback");
    Files.copy(passfile, home.resolve(".pgpass"));
    assertThat(parse("postgresql://parley@db/chat", Map.of()).password()).isEqualTo("pa:ss");

    Files.setPosixFilePermissions(passfile, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(parse("postgresql://parley@db/chat?passfile=" + passfile, Map.of()).password()).isNull();
  }

  @Test
  void unknownParametersAndBadPortsAreRefusedWithoutEchoingThePassword() {
    assertThatThrownBy(() -> parse("postgresql://u:secret@db/chat?sslmod=require", Map.of()))
        .hasMessageContaining("sslmod")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> parse("postgresql://u:secret@db:99999/chat", Map.of()))
        .hasMessageContaining("99999")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> parse("mysql://db/chat", Map.of())).hasMessageContaining("postgresql://");
  }
}
